namespace OpsConductor.Shared.Contracts;

/// <summary>A credential's metadata, never its secret: what other services need to reference one.</summary>
/// <param name="WinRmAuthentication">Basic or NTLM for a <c>winrm</c> credential (null for other types, which WinRM uses with NTLM).</param>
public sealed record CredentialInfo(long Id, string Name, CredentialType Type, string? Username, WinRmAuthentication? WinRmAuthentication = null);

/// <summary>Lets other services (targets) check a credential reference without touching secrets.</summary>
public interface ICredentialDirectory
{
    Task<CredentialInfo?> FindAsync(long credentialId, CancellationToken cancellationToken);
}

/// <summary>Something in another service that references a credential, named so an operator can find it.</summary>
public sealed record CredentialUse(string Service, string Kind, long Id, string Name);

/// <summary>
/// Implemented by services that reference credentials (targets, later jobs); the credentials service asks every
/// registered implementation before deleting one, so it never needs to know those services.
/// </summary>
public interface ICredentialUsage
{
    Task<IReadOnlyList<CredentialUse>> FindUsesAsync(long credentialId, CancellationToken cancellationToken);
}
