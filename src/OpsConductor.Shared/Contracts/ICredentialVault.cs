namespace OpsConductor.Shared.Contracts;

public enum CredentialType
{
    Password,
    SshKey,
    Winrm,
    ApiKey,
}

public enum WinRmAuthentication
{
    Basic,
    Ntlm,
}

/// <summary>Who reads a secret and why; every read is recorded.</summary>
public sealed record SecretAccess(string Service, string Purpose, long? RunId = null, string? Actor = null);

/// <summary>A decrypted credential. Lives only in memory, only as long as a connection needs it.</summary>
public sealed record CredentialSecret(
    long CredentialId,
    CredentialType Type,
    int Version,
    string? Username,
    string? Domain,
    string? Password,
    string? PrivateKey,
    string? Passphrase,
    string? ApiKey,
    WinRmAuthentication? WinRmAuthentication)
{
    /// <summary>The values to redact from any output that might echo them.</summary>
    public IEnumerable<string> SecretValues =>
        new[] { Password, PrivateKey, Passphrase, ApiKey }.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!);

    // Never print secrets, not even by accident in a log line or exception message.
    public override string ToString() => $"CredentialSecret {{ CredentialId = {CredentialId}, Type = {Type}, Version = {Version} }}";
}

/// <summary>The one narrow way to a decrypted secret (the executor's; in split mode over an internal, service-only endpoint).</summary>
public interface ICredentialVault
{
    Task<CredentialSecret?> ReadSecretAsync(long credentialId, SecretAccess access, CancellationToken cancellationToken);
}
