using OpsConductor.Remoting.Ssh;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Credentials;

/// <summary>What a secret of each type must contain; messages name fields, never values.</summary>
public static class CredentialRules
{
    public const int MaxSecretLength = 16 * 1024;

    public static SecretPayload? ValidateSecret(ValidationErrors errors, CredentialType type, SecretInput? secret)
    {
        if (secret is null)
        {
            errors.Add("secret", "Secret is required.");
            return null;
        }
        switch (type)
        {
            case CredentialType.Password:
            case CredentialType.Winrm:
                RequireSecretField(errors, "secret.password", secret.Password, "Password");
                return new SecretPayload(Password: secret.Password);
            case CredentialType.ApiKey:
                RequireSecretField(errors, "secret.key", secret.Key, "Key");
                return new SecretPayload(Key: secret.Key);
            case CredentialType.SshKey:
                RequireSecretField(errors, "secret.privateKey", secret.PrivateKey, "Private key");
                if (secret.Passphrase is { Length: > MaxSecretLength })
                {
                    errors.Add("secret.passphrase", $"Passphrase must be at most {MaxSecretLength} characters.");
                }
                if (!string.IsNullOrEmpty(secret.PrivateKey) && secret.PrivateKey.Length <= MaxSecretLength)
                {
                    try
                    {
                        using var key = SshConnector.LoadPrivateKey(secret.PrivateKey, secret.Passphrase);
                    }
                    catch (InvalidPrivateKeyException ex)
                    {
                        errors.Add("secret.privateKey", ex.Message);
                    }
                }
                return new SecretPayload(PrivateKey: secret.PrivateKey, Passphrase: string.IsNullOrEmpty(secret.Passphrase) ? null : secret.Passphrase);
            default:
                errors.Add("type", "Type must be password, ssh_key, winrm or api_key.");
                return null;
        }
    }

    static void RequireSecretField(ValidationErrors errors, string field, string? value, string label)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, $"{label} is required for this credential type.");
        }
        else if (value.Length > MaxSecretLength)
        {
            errors.Add(field, $"{label} must be at most {MaxSecretLength} characters.");
        }
    }
}
