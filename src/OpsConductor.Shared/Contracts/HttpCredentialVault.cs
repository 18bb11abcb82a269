namespace OpsConductor.Shared.Contracts;

/// <summary>
/// <see cref="ICredentialVault"/> across processes: the credentials service's internal endpoint, called
/// with a service token (it refuses user tokens). The process using it never holds the master key.
/// </summary>
public sealed class HttpCredentialVault(InternalCredentialsClient credentials) : ICredentialVault
{
    public Task<CredentialSecret?> ReadSecretAsync(long credentialId, SecretAccess access, CancellationToken cancellationToken) =>
        credentials.SendAsync<CredentialSecret>(HttpMethod.Post, credentialId, "/secret",
            new { purpose = access.Purpose, runId = access.RunId, actor = access.Actor }, cancellationToken);
}
