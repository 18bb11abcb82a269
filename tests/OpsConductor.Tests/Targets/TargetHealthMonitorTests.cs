using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

public sealed class FastHealthChecksFixture : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Targets__HealthCheckIntervalSeconds"] = "1",
        ["OpsConductor__Targets__ConnectTimeoutSeconds"] = "3",
    };
}

/// <summary>The background health monitor notices when a target goes down and comes back, and keeps the history.</summary>
public sealed class TargetHealthMonitorTests(FastHealthChecksFixture fixture) : IClassFixture<FastHealthChecksFixture>
{
    [Fact]
    public async Task A_target_whose_sshd_stops_turns_unreachable_and_the_history_shows_when()
    {
        await using var sshd = await SshServer.StartAsync();
        using var admin = await fixture.AdminAsync();
        var target = await Inventory.SshTargetAsync(admin, await Inventory.PasswordCredentialAsync(admin), sshd.Port,
            hostKeyFingerprint: sshd.HostKeyFingerprint);

        await WaitForStatus(admin, target, "healthy");
        var healthy = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("Debian GNU/Linux", healthy.Str("osName")); // detected by the sweep, not only by explicit checks
        sshd.Stop();
        await WaitForStatus(admin, target, "unreachable");
        await sshd.StartAgainAsync();
        await WaitForStatus(admin, target, "healthy");

        var history = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}/status-history"));
        var items = history.GetProperty("items").EnumerateArray().Reverse().ToList();
        Assert.Equal(["healthy", "unreachable", "healthy"], items.Select(h => h.Str("status")));
        Assert.Matches("refused|handshake", items[1].Str("error")); // a sweep may be mid-handshake when sshd is killed
        Assert.True(items[1].GetProperty("changedAt").GetDateTimeOffset() >= items[0].GetProperty("changedAt").GetDateTimeOffset());

        var sweep = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/targets/health-sweep"));
        Assert.True(sweep.GetProperty("checked").GetInt32() >= 1);
        Assert.True(sweep.GetProperty("durationMs").GetInt64() >= 0);
    }

    static async Task WaitForStatus(ApiClient client, long target, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = (await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/targets/{target}"))).Str("status");
            if (last == status)
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"target {target} stayed {last}, expected {status}");
    }
}
