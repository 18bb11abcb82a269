using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// A password is never sent to a host whose key is not pinned: a check, the health sweep and a run stop after
/// reading the host key, until an operator confirms that fingerprint. Before, anyone who could point a target at
/// their own sshd read the "write-only" password from its login attempt.
/// </summary>
public sealed class PasswordNeedsConfirmedHostKeyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    /// <summary>What sshd (LogLevel INFO) writes for any password login attempt, right or wrong.</summary>
    const string PasswordAttempt = "password for";

    static Task<JsonElement> Check(ApiClient client, long target) =>
        client.ExpectAsync(HttpStatusCode.OK, client.PostAsync($"/api/v1/targets/{target}/check"));

    static Task<JsonElement> Get(ApiClient client, long target) =>
        client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/targets/{target}"));

    [Fact]
    public async Task A_check_reads_the_host_key_sends_no_password_and_asks_to_confirm_the_fingerprint()
    {
        await using var sshd = await SshServer.StartAsync(logLevel: "INFO");
        var (client, _, _, _) = await fixture.UserAsync("operator");
        using var @operator = client;
        var target = await Inventory.SshTargetAsync(@operator, await Inventory.PasswordCredentialAsync(@operator), sshd.Port);

        var check = await Check(@operator, target);
        Assert.Equal("host_key_unconfirmed", check.Str("status"));
        Assert.True(check.GetProperty("reachable").GetBoolean());
        Assert.Equal(sshd.HostKeyFingerprint, check.Str("hostKeyFingerprint"));
        Assert.Contains("not confirmed", check.Str("error"));
        Assert.DoesNotContain(PasswordAttempt, sshd.Log);
        var saved = await Get(@operator, target);
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("ssh").GetProperty("hostKeyFingerprint").ValueKind);
        Assert.Equal(sshd.HostKeyFingerprint, saved.GetProperty("ssh").Str("lastSeenHostKeyFingerprint"));
        Assert.Equal("host_key_unconfirmed", saved.Str("status"));

        // Confirming means repeating the fingerprint that was compared.
        await @operator.ExpectAsync(HttpStatusCode.BadRequest, @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key"));
        await @operator.ExpectAsync(HttpStatusCode.BadRequest,
            @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = "MD5:aa" }));
        await @operator.ExpectAsync(HttpStatusCode.Conflict,
            @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = "SHA256:" + new string('Q', 43) }));
        Assert.Equal(JsonValueKind.Null, (await Get(@operator, target)).GetProperty("ssh").GetProperty("hostKeyFingerprint").ValueKind);

        var confirmed = await @operator.ExpectAsync(HttpStatusCode.OK,
            @operator.PostAsync($"/api/v1/targets/{target}/accept-host-key", new { fingerprint = sshd.HostKeyFingerprint }));
        Assert.Equal(sshd.HostKeyFingerprint, confirmed.GetProperty("ssh").Str("hostKeyFingerprint"));
        Assert.Equal("unknown", confirmed.Str("status"));

        var after = await Check(@operator, target);
        Assert.Equal("healthy", after.Str("status"));
        Assert.Equal("Debian GNU/Linux", after.Str("osName"));
        await WaitForLog(sshd, "Accepted password for"); // the log does show password logins: the absence above means something
    }

    [Fact]
    public async Task The_health_sweep_sends_no_password_to_an_unpinned_host()
    {
        await using var sshd = await SshServer.StartAsync(logLevel: "INFO");
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), sshd.Port);

        await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/targets/health-sweep"));

        var saved = await Get(admin, target);
        Assert.Equal("host_key_unconfirmed", saved.Str("status"));
        Assert.Equal(sshd.HostKeyFingerprint, saved.GetProperty("ssh").Str("lastSeenHostKeyFingerprint"));
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("ssh").GetProperty("hostKeyFingerprint").ValueKind);
        Assert.DoesNotContain(PasswordAttempt, sshd.Log);
    }

    [Fact]
    public async Task A_run_on_an_unpinned_password_target_fails_that_target_and_sends_no_password()
    {
        await using var sshd = await SshServer.StartAsync(logLevel: "INFO");
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), sshd.Port);
        var job = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("unpinned"),
            steps = new[] { new { name = "who", type = "command", script = "whoami" } },
            targets = new { targetIds = new[] { target } },
        }));

        var run = await FleetFixture.WaitAsync(admin, await FleetFixture.StartAsync(admin, job.GetProperty("id").GetInt64()));

        Assert.Equal("failed", run.Str("status"));
        Assert.Contains("not confirmed", run.GetProperty("targets")[0].Str("error"));
        Assert.DoesNotContain(PasswordAttempt, sshd.Log);
        var saved = await Get(admin, target);
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("ssh").GetProperty("hostKeyFingerprint").ValueKind);
        Assert.Equal(sshd.HostKeyFingerprint, saved.GetProperty("ssh").Str("lastSeenHostKeyFingerprint")); // ready to confirm
    }

    static async Task WaitForLog(SshServer sshd, string text)
    {
        for (var i = 0; i < 50 && !sshd.Log.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }
        Assert.Contains(text, sshd.Log);
    }
}
