using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Credentials;

/// <summary>
/// <c>OpsConductor.Host rotate-master-key --new-key-file PATH</c>: re-encrypts every secret version under a new
/// master key in one transaction, after which the old key is no longer needed.
/// </summary>
public static class MasterKeyRotation
{
    public const string Command = "rotate-master-key";

    /// <summary>Re-encrypts every stored secret from one cipher to another; returns how many rows changed.</summary>
    public static int Reencrypt(IEnumerable<StoredSecret> rows, SecretCipher from, SecretCipher to)
    {
        var count = 0;
        foreach (var row in rows)
        {
            var plaintext = from.Decrypt(row.CredentialId, row.Version, new EncryptedSecret(row.KeyId, row.Ciphertext));
            try
            {
                var encrypted = to.Encrypt(row.CredentialId, row.Version, plaintext);
                row.KeyId = encrypted.KeyId;
                row.Ciphertext = encrypted.Data;
                count++;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
        return count;
    }

    public static async Task<int> RunCommandAsync(string[] args, IReadOnlyList<ServiceModule> catalog)
    {
        var index = Array.IndexOf(args, "--new-key-file");
        if (index < 0 || index + 1 >= args.Length)
        {
            Console.Error.WriteLine($"usage: OpsConductor.Host {Command} --new-key-file PATH [host options such as --data DIR]");
            Console.Error.WriteLine("PATH is created with a new random key when it does not exist.");
            return 2;
        }
        var newKeyFile = Path.GetFullPath(args[index + 1]);
        var hostArgs = args.Where((_, i) => i != index && i != index + 1).Concat(["--services", ServiceNames.Credentials]).ToArray();

        // Building the host (without running it) migrates the database and loads the current key, refusing if it is wrong.
        await using var app = await OpsConductorHost.BuildAsync(hostArgs, catalog);
        var ring = app.Services.GetRequiredService<MasterKeyRing>();
        if (!File.Exists(newKeyFile))
        {
            SecretFiles.CreateOwnerOnly(newKeyFile, MasterKey.GenerateBase64() + "\n");
            Console.WriteLine($"Generated a new master key in {newKeyFile}.");
        }
        var newKey = MasterKey.FromBase64(await File.ReadAllTextAsync(newKeyFile), $"The master key file {newKeyFile}");
        if (newKey.Id == ring.Cipher.Current.Id)
        {
            Console.Error.WriteLine($"{newKeyFile} holds the current master key ({newKey.Id}); nothing to do.");
            return 1;
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CredentialsDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rows = await db.Secrets.OrderBy(s => s.Id).ToListAsync();
            var count = Reencrypt(rows, ring.Cipher, new SecretCipher(newKey));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            Console.WriteLine($"Re-encrypted {count} secret versions from master key {ring.Cipher.Current.Id} to {newKey.Id}.");
        }

        if (ring.Settings.UsesDefaultFile)
        {
            // The embedded default reads keys/master.key: put the new key there so the next start just works.
            var staged = ring.Settings.DefaultKeyFile + ".new";
            File.Delete(staged);
            SecretFiles.CreateOwnerOnly(staged, await File.ReadAllTextAsync(newKeyFile));
            File.Move(staged, ring.Settings.DefaultKeyFile, overwrite: true);
            Console.WriteLine($"Installed the new key as {ring.Settings.DefaultKeyFile}. The old key is no longer needed; back up the new one.");
        }
        else
        {
            Console.WriteLine($"Now point {MasterKeySettings.KeyFileSetting} at {newKeyFile} (or set {MasterKeySettings.KeySetting} to its contents) " +
                "and restart; the old key is no longer needed.");
        }
        return 0;
    }
}
