namespace OpsConductor.Shared.Contracts;

/// <summary>
/// The credentials service's encryption for another service's small secret (the SMTP password), so there is one master
/// key, not one per service. <paramref name="purpose"/> is bound into the ciphertext: a sealed value only unseals for the
/// purpose it was sealed for. The sealed text names the master key; it reveals nothing of the secret.
/// </summary>
public interface ISecretSealer
{
    Task<string> SealAsync(string purpose, string secret, CancellationToken cancellationToken);

    /// <summary>The secret, or an exception whose message names the problem (never the secret).</summary>
    Task<string> UnsealAsync(string purpose, string sealedText, CancellationToken cancellationToken);
}
