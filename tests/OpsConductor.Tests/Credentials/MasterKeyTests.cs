using System.Diagnostics;
using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Credentials;

/// <summary>The master key's life: generated on first start, required on every start, rotated by a command.</summary>
public sealed class MasterKeyTests
{
    [Fact]
    public async Task The_key_file_is_generated_required_and_rotated_with_every_secret_still_readable()
    {
        await using var sshd = await SshServer.StartAsync();
        var database = await TestDatabase.NewAsync();
        var data = Directory.CreateTempSubdirectory("opsc-masterkey-").FullName;
        var keyFile = Path.Combine(data, "keys", "master.key");
        long target;
        await using (var first = await HostProcess.StartAsync(database, dataDirectory: data))
        {
            Assert.True(File.Exists(keyFile), first.Output);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }
            Assert.Contains("Generated the credentials master key", first.Output);
            using var admin = first.Client();
            await admin.LoginAsync("admin", HostProcess.AdminPassword);
            var credential = await Inventory.PasswordCredentialAsync(admin, "Old-Version-Password-1");
            await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/credentials/{credential}/rotate",
                new { secret = new { password = SshServer.Password } }));
            target = await Inventory.SshTargetAsync(admin, credential, sshd.Port, hostKeyFingerprint: sshd.HostKeyFingerprint);
            Assert.Equal("healthy", (await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"))).Str("status"));
            first.Kill();
        }
        var oldKey = (await File.ReadAllTextAsync(keyFile)).Trim();

        // A different key, or no key at all: the service refuses to start and says why.
        var wrongKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HostProcess.StartAsync(With(database, ("OpsConductor__Credentials__MasterKey", wrongKey)), dataDirectory: data));
        Assert.Contains("does not match the key the stored secrets were encrypted with", wrong.Message);
        Assert.DoesNotContain(wrongKey, wrong.Message);
        File.Move(keyFile, keyFile + ".away");
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(database, dataDirectory: data));
        Assert.Contains("master key file", missing.Message);
        Assert.False(File.Exists(keyFile)); // never silently replaced by a new key
        File.Move(keyFile + ".away", keyFile);

        // Rotate to a new key file the command generates.
        var newKeyFile = Path.Combine(data, "new-master.key");
        var (exitCode, output) = await RunHostCommandAsync(database, data, "rotate-master-key", "--new-key-file", newKeyFile);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Re-encrypted 2 secret versions", output);
        Assert.Equal((await File.ReadAllTextAsync(newKeyFile)).Trim(), (await File.ReadAllTextAsync(keyFile)).Trim());
        Assert.DoesNotContain(oldKey, output);

        // The old key is no longer accepted; the new one reads every secret.
        var old = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HostProcess.StartAsync(With(database, ("OpsConductor__Credentials__MasterKey", oldKey)), dataDirectory: data));
        Assert.Contains("does not match", old.Message);
        await using var rotated = await HostProcess.StartAsync(
            With(database, ("OpsConductor__Credentials__MasterKeyFile", newKeyFile)), dataDirectory: data);
        using var client = rotated.Client();
        await client.LoginAsync("admin", HostProcess.AdminPassword);
        Assert.Equal("healthy", (await client.ExpectAsync(HttpStatusCode.OK, client.PostAsync($"/api/v1/targets/{target}/check"))).Str("status"));
    }

    static Dictionary<string, string> With(IDictionary<string, string> settings, params (string Key, string Value)[] extra)
    {
        var result = new Dictionary<string, string>(settings);
        foreach (var (key, value) in extra)
        {
            result[key] = value;
        }
        return result;
    }

    static async Task<(int ExitCode, string Output)> RunHostCommandAsync(IDictionary<string, string> settings, string data, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = data };
        start.ArgumentList.Add(HostProcess.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["OpsConductor__DataDirectory"] = data;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
