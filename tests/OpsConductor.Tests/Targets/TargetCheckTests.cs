using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>POST /targets/{id}/check against real OpenSSH servers on loopback.</summary>
public sealed class TargetCheckTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    static Task<JsonElement> Check(ApiClient client, long target) =>
        client.ExpectAsync(HttpStatusCode.OK, client.PostAsync($"/api/v1/targets/{target}/check"));

    [Fact]
    public async Task Password_login_makes_the_target_healthy_and_detects_debian()
    {
        await using var sshd = await SshServer.StartAsync();
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), sshd.Port,
            hostKeyFingerprint: sshd.HostKeyFingerprint);

        var check = await Check(admin, target);
        Assert.True(check.GetProperty("reachable").GetBoolean(), check.ToString());
        Assert.Equal("healthy", check.Str("status"));
        Assert.Equal("Debian GNU/Linux", check.Str("osName"));
        Assert.Equal("12", check.Str("osVersion"));
        Assert.Equal(sshd.HostKeyFingerprint, check.Str("hostKeyFingerprint"));
        Assert.True(check.GetProperty("latencyMs").GetInt32() >= 0);

        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("healthy", saved.Str("status"));
        Assert.StartsWith("Linux ", saved.Str("kernel"));
        Assert.Equal(sshd.HostKeyFingerprint, saved.GetProperty("ssh").Str("hostKeyFingerprint")); // pinned at registration
    }

    [Theory]
    [InlineData("ed25519", null, false)]
    [InlineData("rsa", "Key-Passphrase-77", true)]
    public async Task Key_login_works_with_openssh_and_encrypted_pem_keys(string type, string? passphrase, bool pem)
    {
        await using var sshd = await SshServer.StartAsync();
        var (privateKey, publicKey) = await SshServer.GenerateKeyAsync(type, passphrase, pem);
        Assert.Contains(pem ? "BEGIN RSA PRIVATE KEY" : "BEGIN OPENSSH PRIVATE KEY", privateKey);
        await sshd.AuthorizeAsync(publicKey);
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.KeyCredentialAsync(admin, privateKey, passphrase), sshd.Port);

        var check = await Check(admin, target);
        Assert.Equal("healthy", check.Str("status"));
        Assert.Equal("Debian GNU/Linux", check.Str("osName"));
    }

    [Fact]
    public async Task A_wrong_password_is_auth_failed_and_not_echoed()
    {
        await using var sshd = await SshServer.StartAsync();
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin, "Not-The-Password-1"), sshd.Port,
            hostKeyFingerprint: sshd.HostKeyFingerprint);

        var check = await Check(admin, target);
        Assert.Equal("auth_failed", check.Str("status"));
        Assert.True(check.GetProperty("reachable").GetBoolean());
        Assert.Contains("Authentication", check.Str("error"));
        Assert.DoesNotContain("Not-The-Password-1", check.ToString());
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), SshServer.FreePort());
        var check = await Check(admin, target);
        Assert.Equal("unreachable", check.Str("status"));
        Assert.False(check.GetProperty("reachable").GetBoolean());
        Assert.Contains("refused", check.Str("error"));
    }

    [Fact]
    public async Task A_changed_host_key_is_refused_until_an_operator_accepts_it()
    {
        await using var sshd = await SshServer.StartAsync();
        var (client, _, _, _) = await fixture.UserAsync("operator");
        using var @operator = client;
        var target = await Inventory.SshTargetAsync(@operator, await Inventory.PasswordCredentialAsync(@operator), sshd.Port,
            hostKeyFingerprint: sshd.HostKeyFingerprint);
        var first = await Check(@operator, target);
        Assert.Equal("healthy", first.Str("status"));
        var original = sshd.HostKeyFingerprint;
        await @operator.ExpectAsync(HttpStatusCode.Conflict,
            @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = original }));

        await sshd.RestartWithNewHostKeyAsync();
        Assert.NotEqual(original, sshd.HostKeyFingerprint);
        var mismatch = await Check(@operator, target);
        Assert.Equal("host_key_mismatch", mismatch.Str("status"));
        Assert.Equal(sshd.HostKeyFingerprint, mismatch.Str("hostKeyFingerprint"));
        Assert.Contains("does not match", mismatch.Str("error"));
        var saved = await @operator.ExpectAsync(HttpStatusCode.OK, @operator.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal(original, saved.GetProperty("ssh").Str("hostKeyFingerprint"));
        Assert.Equal(sshd.HostKeyFingerprint, saved.GetProperty("ssh").Str("lastSeenHostKeyFingerprint"));
        Assert.Equal("host_key_mismatch", (await Check(@operator, target)).Str("status")); // still refused

        var accepted = await @operator.ExpectAsync(HttpStatusCode.OK,
            @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = sshd.HostKeyFingerprint }));
        Assert.Equal(sshd.HostKeyFingerprint, accepted.GetProperty("ssh").Str("hostKeyFingerprint"));
        Assert.Equal("healthy", (await Check(@operator, target)).Str("status"));

        var history = await @operator.ExpectAsync(HttpStatusCode.OK, @operator.GetAsync($"/api/v1/targets/{target}/status-history"));
        var statuses = history.GetProperty("items").EnumerateArray().Select(h => h.Str("status")).Reverse().ToList();
        Assert.Equal(["healthy", "host_key_mismatch", "unknown", "healthy"], statuses);
    }

    [Fact]
    public async Task A_pre_pinned_fingerprint_that_differs_refuses_the_first_connection()
    {
        await using var sshd = await SshServer.StartAsync();
        using var admin = await fixture.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("pinned"),
            hostname = "127.0.0.1",
            port = sshd.Port,
            osType = "linux",
            credentialId = credential,
            ssh = new { hostKeyFingerprint = "SHA256:" + new string('A', 43) },
        }));
        var check = await Check(admin, created.GetProperty("id").GetInt64());
        Assert.Equal("host_key_mismatch", check.Str("status"));
    }
}
