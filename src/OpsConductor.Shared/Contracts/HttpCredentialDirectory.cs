namespace OpsConductor.Shared.Contracts;

/// <summary>
/// <see cref="ICredentialDirectory"/> across processes (split mode): the targets service checks credential
/// references over the credentials service's internal endpoint, so it needs neither its tables nor the master key.
/// </summary>
public sealed class HttpCredentialDirectory(InternalCredentialsClient credentials) : ICredentialDirectory
{
    public Task<CredentialInfo?> FindAsync(long credentialId, CancellationToken cancellationToken) =>
        credentials.SendAsync<CredentialInfo>(HttpMethod.Get, credentialId, "", null, cancellationToken);
}
