using Microsoft.Extensions.Configuration;

namespace OpsConductor.Shared.Security;

/// <summary>
/// <c>OpsConductor:Auth:ServiceSecret</c>, the secret split-mode processes exchange for service tokens. A right
/// secret is never throttled, so its length is what stops guessing: a short one is refused at start.
/// </summary>
public static class ServiceSecret
{
    public static readonly string Key = "OpsConductor:Auth:ServiceSecret";
    public static readonly int MinLength = 32;

    /// <summary>The configured secret, or null when none is set; throws when it is too short.</summary>
    public static string? Read(IConfiguration configuration)
    {
        var secret = configuration[Key];
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }
        if (secret.Length < MinLength)
        {
            throw new InvalidOperationException(
                $"{Key} must be at least {MinLength} characters (e.g. openssl rand -base64 32); it has {secret.Length}.");
        }
        return secret;
    }
}
