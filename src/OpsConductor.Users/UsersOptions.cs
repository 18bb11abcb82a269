using Microsoft.Extensions.Configuration;

namespace OpsConductor.Users;

/// <summary>The users service's settings, read and checked once while the host is built.</summary>
public sealed record UsersOptions
{
    public const string WorkFactorSetting = "OpsConductor:Security:BcryptWorkFactor";
    public const string AdminPasswordSetting = "OpsConductor:Bootstrap:AdminPassword";

    /// <summary>bcrypt cost of new password hashes (10 to 16).</summary>
    public int BcryptWorkFactor { get; init; } = 11;

    /// <summary>The first admin's password; none: a generated one is printed once.</summary>
    public string? AdminPassword { get; init; }

    public static UsersOptions From(IConfiguration configuration)
    {
        var options = new UsersOptions
        {
            BcryptWorkFactor = configuration.GetValue(WorkFactorSetting, 11),
            AdminPassword = configuration[AdminPasswordSetting] is { Length: > 0 } password ? password : null,
        };
        if (options.BcryptWorkFactor is < 10 or > 16)
        {
            throw new InvalidOperationException($"{WorkFactorSetting} must be between 10 and 16.");
        }
        if (options.AdminPassword is { Length: < Passwords.MinLength })
        {
            throw new InvalidOperationException($"{AdminPasswordSetting} must be at least {Passwords.MinLength} characters long.");
        }
        return options;
    }
}
