using System.Security.Cryptography;
using System.Text;
using OpsConductor.Credentials;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Credentials;

/// <summary>AES-256-GCM with id, version and key id bound in: what an attacker with database access cannot do.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class SecretCipherTests
{
    static MasterKey NewKey() => MasterKey.FromBase64(MasterKey.GenerateBase64(), "test key");

    static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("""{"password":"correct horse battery staple"}""");

    [Fact]
    public void A_secret_round_trips_and_every_encryption_uses_a_fresh_nonce()
    {
        var cipher = new SecretCipher(NewKey());
        var first = cipher.Encrypt(7, 1, Plaintext);
        var second = cipher.Encrypt(7, 1, Plaintext);
        Assert.Equal(cipher.Current.Id, first.KeyId);
        Assert.NotEqual(first.Data[..12], second.Data[..12]);
        Assert.NotEqual(first.Data, second.Data);
        Assert.Equal(Plaintext, cipher.Decrypt(7, 1, first));
        Assert.DoesNotContain("correct horse", Encoding.UTF8.GetString(first.Data));
    }

    [Fact]
    public void A_tampered_ciphertext_does_not_decrypt()
    {
        var cipher = new SecretCipher(NewKey());
        var encrypted = cipher.Encrypt(7, 1, Plaintext);
        foreach (var index in new[] { 0, 12, encrypted.Data.Length / 2, encrypted.Data.Length - 1 })
        {
            var tampered = (byte[])encrypted.Data.Clone();
            tampered[index] ^= 0x01;
            Assert.Throws<SecretDecryptionException>(() => cipher.Decrypt(7, 1, encrypted with { Data = tampered }));
        }
        Assert.Throws<SecretDecryptionException>(() => cipher.Decrypt(7, 1, encrypted with { Data = encrypted.Data[..20] }));
    }

    [Fact]
    public void A_ciphertext_copied_to_another_row_or_version_does_not_decrypt()
    {
        var cipher = new SecretCipher(NewKey());
        var encrypted = cipher.Encrypt(7, 1, Plaintext);
        Assert.Throws<SecretDecryptionException>(() => cipher.Decrypt(8, 1, encrypted));
        Assert.Throws<SecretDecryptionException>(() => cipher.Decrypt(7, 2, encrypted));
    }

    [Fact]
    public void The_wrong_master_key_does_not_decrypt()
    {
        var encrypted = new SecretCipher(NewKey()).Encrypt(7, 1, Plaintext);
        var other = new SecretCipher(NewKey());
        // Refused by key id, and also by authentication when the key id is forged to match.
        Assert.Throws<SecretDecryptionException>(() => other.Decrypt(7, 1, encrypted));
        Assert.Throws<SecretDecryptionException>(() => other.Decrypt(7, 1, encrypted with { KeyId = other.Current.Id }));
    }

    [Fact]
    public void Master_key_rotation_leaves_every_secret_readable_with_the_new_key_only()
    {
        var oldCipher = new SecretCipher(NewKey());
        var newCipher = new SecretCipher(NewKey());
        var rows = new List<StoredSecret>();
        var plaintexts = new Dictionary<(long, int), byte[]>();
        for (long id = 1; id <= 5; id++)
        {
            for (var version = 1; version <= 3; version++)
            {
                var plaintext = RandomNumberGenerator.GetBytes(40);
                plaintexts[(id, version)] = plaintext;
                var encrypted = oldCipher.Encrypt(id, version, plaintext);
                rows.Add(new StoredSecret { CredentialId = id, Version = version, KeyId = encrypted.KeyId, Ciphertext = encrypted.Data });
            }
        }

        Assert.Equal(15, MasterKeyRotation.Reencrypt(rows, oldCipher, newCipher));

        foreach (var row in rows)
        {
            var stored = new EncryptedSecret(row.KeyId, row.Ciphertext);
            Assert.Equal(newCipher.Current.Id, row.KeyId);
            Assert.Equal(plaintexts[(row.CredentialId, row.Version)], newCipher.Decrypt(row.CredentialId, row.Version, stored));
            Assert.Throws<SecretDecryptionException>(() => oldCipher.Decrypt(row.CredentialId, row.Version, stored));
            Assert.Throws<SecretDecryptionException>(() => oldCipher.Decrypt(row.CredentialId, row.Version, stored with { KeyId = oldCipher.Current.Id }));
        }
    }

    [Fact]
    public void Key_ids_identify_keys_without_revealing_them()
    {
        var text = MasterKey.GenerateBase64();
        var a = MasterKey.FromBase64(text, "a");
        var b = MasterKey.FromBase64(text, "b");
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, NewKey().Id);
        Assert.DoesNotContain(text, a.ToString());
        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.FromBase64("c2hvcnQ=", "The setting"));
        Assert.DoesNotContain("c2hvcnQ", error.Message);
    }
}
