namespace OpsConductor.Shared.Contracts;

/// <summary>
/// <see cref="ISecretSealer"/> across processes: the credentials service's internal <c>/seal</c> and <c>/unseal</c>
/// endpoints, called with a service token, so the process using it never holds the master key.
/// </summary>
public sealed class HttpSecretSealer(InternalCredentialsClient credentials) : ISecretSealer
{
    sealed record SealAnswer(string Sealed);

    sealed record UnsealAnswer(string Secret)
    {
        public override string ToString() => "UnsealAnswer { Secret = *** }";
    }

    public async Task<string> SealAsync(string purpose, string secret, CancellationToken cancellationToken) =>
        (await credentials.PostAsync<SealAnswer>("/seal", new { purpose, secret }, cancellationToken)).Sealed;

    public async Task<string> UnsealAsync(string purpose, string sealedText, CancellationToken cancellationToken) =>
        (await credentials.PostAsync<UnsealAnswer>("/unseal", new { purpose, @sealed = sealedText }, cancellationToken)).Secret;
}
