using System.Security.Cryptography;
using System.Text;

namespace OpsConductor.Credentials;

/// <summary>
/// A 256-bit master key. Only derived keys are ever used: one for encrypting credentials (HKDF-SHA256,
/// info <c>opsconductor/credentials/v1</c>) and one for the key id stored beside every ciphertext.
/// </summary>
public sealed class MasterKey
{
    public const int Size = 32;
    const string EncryptionInfo = "opsconductor/credentials/v1";
    const string KeyIdInfo = "opsconductor/credentials/key-id";

    readonly byte[] _encryptionKey;

    MasterKey(byte[] material)
    {
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: Encoding.UTF8.GetBytes(EncryptionInfo));
        var idBytes = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 8, info: Encoding.UTF8.GetBytes(KeyIdInfo));
        Id = "mk-" + Convert.ToHexStringLower(idBytes);
    }

    /// <summary>Identifies the key without revealing it; stored with every ciphertext.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> EncryptionKey => _encryptionKey;

    public static MasterKey FromBytes(ReadOnlySpan<byte> material)
    {
        if (material.Length != Size)
        {
            throw new ArgumentException($"A master key is {Size} bytes (base64, 44 characters).");
        }
        return new MasterKey(material.ToArray());
    }

    /// <summary>Parses the base64 text of a key file or setting; the message never repeats the input.</summary>
    public static MasterKey FromBase64(string text, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not valid base64: a master key is {Size} random bytes in base64.");
        }
        if (bytes.Length != Size)
        {
            throw new InvalidOperationException($"{source} holds {bytes.Length} bytes: a master key is {Size} random bytes in base64.");
        }
        return FromBytes(bytes);
    }

    /// <summary>A new random key as base64 text, ready for a key file.</summary>
    public static string GenerateBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Size));

    public override string ToString() => $"MasterKey {{ Id = {Id} }}";
}

/// <summary>A ciphertext and the id of the master key it was made with.</summary>
public sealed record EncryptedSecret(string KeyId, byte[] Data);

public sealed class SecretDecryptionException(string message) : Exception(message);

/// <summary>
/// AES-256-GCM with a fresh random 12-byte nonce per encryption. The associated data binds the key id, the
/// credential id and the secret version, so a ciphertext copied onto another row (or another version) fails
/// to decrypt. Stored form: nonce (12) | ciphertext | tag (16).
/// </summary>
public sealed class SecretCipher
{
    const int NonceSize = 12;
    const int TagSize = 16;

    readonly Dictionary<string, MasterKey> _keys;

    public SecretCipher(MasterKey current, IEnumerable<MasterKey>? decryptOnly = null)
    {
        Current = current;
        _keys = new Dictionary<string, MasterKey> { [current.Id] = current };
        foreach (var key in decryptOnly ?? [])
        {
            _keys.TryAdd(key.Id, key);
        }
    }

    public MasterKey Current { get; }

    public bool Knows(string keyId) => _keys.ContainsKey(keyId);

    public EncryptedSecret Encrypt(long credentialId, int version, ReadOnlySpan<byte> plaintext) =>
        Encrypt(plaintext, keyId => AssociatedData(keyId, credentialId, version));

    /// <summary>A small secret of another service (the SMTP password): the associated data binds the purpose instead of a credential row.</summary>
    public EncryptedSecret Seal(string purpose, ReadOnlySpan<byte> plaintext) => Encrypt(plaintext, keyId => SealedData(keyId, purpose));

    public byte[] Unseal(string purpose, EncryptedSecret secret) =>
        Decrypt(secret, keyId => SealedData(keyId, purpose), $"The sealed secret for {purpose} failed authentication: it was altered or belongs to another purpose.");

    EncryptedSecret Encrypt(ReadOnlySpan<byte> plaintext, Func<string, byte[]> associatedData)
    {
        var data = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = data.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Current.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, data.AsSpan(NonceSize, plaintext.Length), data.AsSpan(NonceSize + plaintext.Length), associatedData(Current.Id));
        return new EncryptedSecret(Current.Id, data);
    }

    public byte[] Decrypt(long credentialId, int version, EncryptedSecret secret) =>
        Decrypt(secret, keyId => AssociatedData(keyId, credentialId, version),
            $"The secret of credential {credentialId} version {version} failed authentication: it was altered or belongs to another row.");

    byte[] Decrypt(EncryptedSecret secret, Func<string, byte[]> associatedData, string tamperedMessage)
    {
        if (!_keys.TryGetValue(secret.KeyId, out var key))
        {
            throw new SecretDecryptionException($"The secret was encrypted with master key {secret.KeyId}, which is not loaded.");
        }
        if (secret.Data.Length < NonceSize + TagSize)
        {
            throw new SecretDecryptionException("The stored secret is truncated.");
        }
        var cipherLength = secret.Data.Length - NonceSize - TagSize;
        var plaintext = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key.EncryptionKey, TagSize);
            aes.Decrypt(secret.Data.AsSpan(0, NonceSize), secret.Data.AsSpan(NonceSize, cipherLength),
                secret.Data.AsSpan(NonceSize + cipherLength), plaintext, associatedData(key.Id));
        }
        catch (CryptographicException)
        {
            throw new SecretDecryptionException(tamperedMessage);
        }
        return plaintext;
    }

    static byte[] SealedData(string keyId, string purpose) => Encoding.UTF8.GetBytes($"opsconductor/sealed/v1\n{keyId}\n{purpose}");

    static byte[] AssociatedData(string keyId, long credentialId, int version) =>
        Encoding.UTF8.GetBytes($"opsconductor/credentials/v1\n{keyId}\n{credentialId}\n{version}");
}
