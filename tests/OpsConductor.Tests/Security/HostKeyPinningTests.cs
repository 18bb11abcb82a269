using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// A first-use host key is pinned only after authentication to it succeeded, by the executor as by a check (the
/// executor pinned during the key exchange before), and <c>accept-host-key</c> pins only the fingerprint the
/// operator names, which must be the one last seen (it pinned whatever was seen last before).
/// </summary>
public sealed class HostKeyPinningTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    static async Task<string?> Pinned(ApiClient client, long target) =>
        (await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/targets/{target}"))).GetProperty("ssh")
            .GetProperty("hostKeyFingerprint") is { ValueKind: JsonValueKind.String } pin ? pin.GetString() : null;

    static async Task<JsonElement> RunAsync(ApiClient client, long target)
    {
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("pin"),
            steps = new[] { new { name = "who", type = "command", script = "whoami" } },
            targets = new { targetIds = new[] { target } },
        }));
        return await FleetFixture.WaitAsync(client, await FleetFixture.StartAsync(client, job.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task A_run_with_a_refused_key_pins_nothing_and_a_run_that_authenticates_pins_the_key()
    {
        await using var sshd = await SshServer.StartAsync();
        var (privateKey, publicKey) = await SshServer.GenerateKeyAsync("ed25519");
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.KeyCredentialAsync(admin, privateKey), sshd.Port);

        var refused = await RunAsync(admin, target); // the key is not authorized yet
        Assert.Equal("failed", refused.Str("status"));
        Assert.Contains("Authentication", refused.GetProperty("targets")[0].Str("error"));
        Assert.Null(await Pinned(admin, target));

        var check = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"));
        Assert.Equal("auth_failed", check.Str("status"));
        Assert.Null(await Pinned(admin, target));

        await sshd.AuthorizeAsync(publicKey);
        var accepted = await RunAsync(admin, target);
        Assert.Equal("succeeded", accepted.Str("status"));
        Assert.Equal(sshd.HostKeyFingerprint, await Pinned(admin, target));
    }

    [Fact]
    public async Task A_key_pinned_on_first_use_by_key_authentication_never_receives_a_password_until_an_operator_accepts_it()
    {
        await using var sshd = await SshServer.StartAsync();
        var (privateKey, publicKey) = await SshServer.GenerateKeyAsync("ed25519");
        await sshd.AuthorizeAsync(publicKey);
        using var admin = await fixture.AdminAsync();
        var name = Inventory.UniqueName("tofu");
        var target = await Inventory.SshTargetAsync(admin, await Inventory.KeyCredentialAsync(admin, privateKey), sshd.Port, name);
        var keyCheck = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"));
        Assert.Equal("healthy", keyCheck.Str("status"));
        var ssh = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"))).GetProperty("ssh");
        Assert.Equal(sshd.HostKeyFingerprint, ssh.Str("hostKeyFingerprint"));
        Assert.False(ssh.GetProperty("hostKeyConfirmed").GetBoolean());

        // The operator switches the target to a password: the key pinned on first use was never compared by anyone.
        var password = await Inventory.PasswordCredentialAsync(admin);
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/targets/{target}",
            new { name, hostname = "127.0.0.1", port = sshd.Port, osType = "linux", connection = "ssh", credentialId = password }));
        var check = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"));
        Assert.Equal("host_key_unconfirmed", check.Str("status"));
        var run = await RunAsync(admin, target);
        Assert.Equal("failed", run.Str("status"));
        Assert.Contains("not confirmed", run.GetProperty("targets")[0].Str("error"));

        await admin.ExpectAsync(HttpStatusCode.OK,
            admin.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = sshd.HostKeyFingerprint }));
        Assert.True((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"))).GetProperty("ssh")
            .GetProperty("hostKeyConfirmed").GetBoolean());
        Assert.Equal("healthy", (await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"))).Str("status"));
        Assert.Equal("succeeded", (await RunAsync(admin, target)).Str("status"));
    }

    [Fact]
    public async Task Accept_host_key_pins_the_fingerprint_the_operator_saw_and_refuses_one_that_changed_since()
    {
        await using var sshd = await SshServer.StartAsync();
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), sshd.Port);
        var seen = (await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"))).Str("hostKeyFingerprint");
        Assert.Equal(sshd.HostKeyFingerprint, seen);

        // Between the operator's look and the confirmation, something else answers with another key.
        await sshd.RestartWithNewHostKeyAsync();
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{target}/check"));
        var problem = await admin.ExpectAsync(HttpStatusCode.Conflict,
            admin.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = seen }));
        Assert.Contains("differs", problem.Str("detail"));
        Assert.Null(await Pinned(admin, target));

        await admin.ExpectAsync(HttpStatusCode.OK,
            admin.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = sshd.HostKeyFingerprint }));
        Assert.Equal(sshd.HostKeyFingerprint, await Pinned(admin, target));
    }
}
