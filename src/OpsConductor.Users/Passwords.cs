using OpsConductor.Shared.Http;

namespace OpsConductor.Users;

/// <summary>bcrypt (SHA-384 pre-hash, so long passphrases are not cut at 72 bytes) and the password policy.</summary>
public sealed class Passwords(int workFactor)
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    readonly Lazy<string> _decoy = new(() => BCrypt.Net.BCrypt.EnhancedHashPassword(Guid.NewGuid().ToString(), workFactor));

    public string Hash(string password) => BCrypt.Net.BCrypt.EnhancedHashPassword(password, workFactor);

    public bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.EnhancedVerify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Spends the time of a real check, so an unknown user answers as slowly as a wrong password.</summary>
    public void VerifyDecoy(string password) => Verify(password, _decoy.Value);

    public static void Validate(ValidationErrors errors, string field, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, "Password is required.");
        }
        else if (password.Length < MinLength)
        {
            errors.Add(field, $"Password must be at least {MinLength} characters long.");
        }
        else if (password.Length > MaxLength)
        {
            errors.Add(field, $"Password must be at most {MaxLength} characters long.");
        }
    }
}
