using System.Net;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>
/// Mail is never lost and never doubled across processes: a host killed with mail pending sends it once restarted,
/// and two sender processes on one PostgreSQL database send each message once. No executor runs here: runs stay
/// queued and are cancelled, which notifies like any other final status.
/// </summary>
public sealed class NotificationRecoveryTests
{
    const string WithoutExecutor = "auth,users,credentials,targets,jobs,notifications";

    [Fact]
    public async Task A_host_killed_with_mail_pending_sends_it_once_after_a_restart()
    {
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        var data = Directory.CreateTempSubdirectory("opsc-test-").FullName;
        var port = Smtp4devServer.FreePort();
        var to = Recipient("restart");
        long runId;
        await using (var host = await HostProcess.StartAsync(settings, WithoutExecutor, data))
        {
            using var admin = host.Client();
            await admin.LoginAsync("admin", HostProcess.AdminPassword);
            await SmtpAsync(admin, port);
            var (jobId, _) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [to]));
            runId = await FleetFixture.StartAsync(admin, jobId);
            await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/runs/{runId}/cancel"));
            var pending = await WaitForNotificationAsync(admin, runId, n => n.GetProperty("attempts").GetInt32() >= 1);
            Assert.Equal("pending", pending.Str("status"));
            host.Kill();
        }

        await using var smtp = await Smtp4devServer.StartAsync(new Smtp4devServer.Options(SmtpPort: port));
        await using var restarted = await HostProcess.StartAsync(settings, WithoutExecutor, data);
        using var again = restarted.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);
        var sent = await WaitForNotificationAsync(again, runId, n => n.Str("status") == "sent");
        Assert.Equal("cancelled", sent.Str("event"));
        Assert.Single(await smtp.WaitForAsync(m => m.To.Contains(to)));
        Assert.Single(await smtp.MessagesAsync(), m => m.To.Contains(to));
        Assert.Equal(1, (await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/notifications?runId={runId}"))).GetProperty("total").GetInt32());
    }

    [PostgresFact]
    public async Task Two_sender_processes_on_one_database_send_every_message_exactly_once()
    {
        const int runs = 60;
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        settings["OpsConductor__Notifications__BatchSize"] = "3";
        settings["OpsConductor__Notifications__PollMilliseconds"] = "20";
        var data = Directory.CreateTempSubdirectory("opsc-test-").FullName;
        await using var smtp = await Smtp4devServer.StartAsync();
        await using var first = await HostProcess.StartAsync(settings, WithoutExecutor, data);
        await using var second = await HostProcess.StartAsync(settings, WithoutExecutor, data);
        using var admin = first.Client();
        await admin.LoginAsync("admin", HostProcess.AdminPassword);
        await SmtpAsync(admin, smtp.SmtpPort);
        var to = Recipient("pair");
        var (jobId, jobName) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [to]));
        var ids = await CancelledRunsAsync(admin, jobId, runs);

        var arrived = await smtp.WaitForAsync(m => m.To.Contains(to), runs, seconds: 120);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications?status=pending"))).GetProperty("total").GetInt32() > 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        arrived = (await smtp.MessagesAsync()).Where(m => m.To.Contains(to)).ToList();
        Assert.Equal(runs, arrived.Count);
        Assert.Equal(ids.Select(id => $"[OpsConductor] {jobName} was cancelled (run {id})").Order(), arrived.Select(m => m.Subject).Order());
        var sent = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications?status=sent&pageSize=500"));
        Assert.Equal(runs, sent.GetProperty("total").GetInt32());
        Assert.All(sent.GetProperty("items").EnumerateArray(), n => Assert.Equal(1, n.GetProperty("attempts").GetInt32()));
    }
}
