using System.Text;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Credentials;

/// <summary>
/// <see cref="ISecretSealer"/> with the credentials master key (AES-256-GCM, the purpose in the associated data).
/// Sealed text: <c>v1:{keyId}:{base64 of nonce|ciphertext|tag}</c>.
/// </summary>
sealed class MasterKeySealer(MasterKeyRing keys) : ISecretSealer
{
    const string Version = "v1";

    public Task<string> SealAsync(string purpose, string secret, CancellationToken cancellationToken)
    {
        var sealedSecret = keys.Cipher.Seal(purpose, Encoding.UTF8.GetBytes(secret));
        return Task.FromResult($"{Version}:{sealedSecret.KeyId}:{Convert.ToBase64String(sealedSecret.Data)}");
    }

    public Task<string> UnsealAsync(string purpose, string sealedText, CancellationToken cancellationToken)
    {
        var parts = sealedText.Split(':');
        if (parts is not [Version, var keyId, var data])
        {
            throw new SecretDecryptionException($"The sealed secret for {purpose} is not in a known format.");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw new SecretDecryptionException($"The sealed secret for {purpose} is damaged.");
        }
        return Task.FromResult(Encoding.UTF8.GetString(keys.Cipher.Unseal(purpose, new EncryptedSecret(keyId, bytes))));
    }
}
