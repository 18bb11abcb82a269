using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Credentials;

/// <summary>The secret fields of a credential as they are encrypted; only the fields of its type are set.</summary>
public sealed record SecretPayload(
    [property: JsonPropertyName("password")] string? Password = null,
    [property: JsonPropertyName("privateKey")] string? PrivateKey = null,
    [property: JsonPropertyName("passphrase")] string? Passphrase = null,
    [property: JsonPropertyName("key")] string? Key = null)
{
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static SecretPayload FromUtf8(byte[] json) => JsonSerializer.Deserialize<SecretPayload>(json) ?? new SecretPayload();

    public override string ToString() => "SecretPayload { (redacted) }";
}

/// <summary>Encrypts new secret versions and decrypts the current one, recording every read.</summary>
public sealed class CredentialSecrets(CredentialsDb db, MasterKeyRing keys, TimeProvider clock)
{
    /// <summary>Adds the next secret version to a saved credential (its id is bound into the ciphertext).</summary>
    public void AddVersion(Credential credential, SecretPayload payload)
    {
        var version = credential.SecretVersion + 1;
        var plaintext = payload.ToUtf8();
        try
        {
            var encrypted = keys.Cipher.Encrypt(credential.Id, version, plaintext);
            db.Secrets.Add(new StoredSecret
            {
                CredentialId = credential.Id,
                Version = version,
                KeyId = encrypted.KeyId,
                Ciphertext = encrypted.Data,
                CreatedAt = clock.GetUtcNow(),
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        credential.SecretVersion = version;
    }

    public async Task<CredentialSecret?> ReadAsync(long credentialId, SecretAccess access, CancellationToken ct)
    {
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == credentialId, ct);
        if (credential is null)
        {
            return null;
        }
        var stored = await db.Secrets.AsNoTracking()
            .FirstOrDefaultAsync(s => s.CredentialId == credentialId && s.Version == credential.SecretVersion, ct);
        if (stored is null)
        {
            return null;
        }
        var plaintext = keys.Cipher.Decrypt(credentialId, stored.Version, new EncryptedSecret(stored.KeyId, stored.Ciphertext));
        SecretPayload payload;
        try
        {
            payload = SecretPayload.FromUtf8(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        db.AccessLog.Add(new SecretAccessRecord
        {
            CredentialId = credentialId,
            Version = stored.Version,
            Service = Truncate(access.Service, 64),
            Purpose = Truncate(access.Purpose, 200),
            RunId = access.RunId,
            Actor = access.Actor is null ? null : Truncate(access.Actor, 200),
            AccessedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return new CredentialSecret(credential.Id, credential.Type, stored.Version, credential.Username, credential.Domain,
            payload.Password, payload.PrivateKey, payload.Passphrase, payload.Key, credential.WinRmAuthentication);
    }

    static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>The in-process vault: the one way other services get a decrypted secret.</summary>
sealed class CredentialVault(CredentialSecrets secrets) : ICredentialVault
{
    public Task<CredentialSecret?> ReadSecretAsync(long credentialId, SecretAccess access, CancellationToken cancellationToken) =>
        secrets.ReadAsync(credentialId, access, cancellationToken);
}

sealed class CredentialDirectory(CredentialsDb db) : ICredentialDirectory
{
    public async Task<CredentialInfo?> FindAsync(long credentialId, CancellationToken cancellationToken) =>
        await db.Credentials.AsNoTracking().Where(c => c.Id == credentialId)
            .Select(c => new CredentialInfo(c.Id, c.Name, c.Type, c.Username, c.WinRmAuthentication))
            .FirstOrDefaultAsync(cancellationToken);
}
