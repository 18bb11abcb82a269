using System.Net;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>
/// The sender takes pending messages a batch at a time, split over several SMTP connections sent through at once: a
/// message the server refuses does not hold back the others of its batch, and is retried and recorded on its own. No executor: runs stay queued and are
/// cancelled, which notifies like any other final status.
/// </summary>
public sealed class NotificationBatchTests
{
    const string WithoutExecutor = "auth,users,credentials,targets,jobs,notifications";

    [Fact]
    public async Task A_refused_recipient_in_a_batch_is_retried_and_recorded_while_the_rest_of_the_batch_is_delivered_once()
    {
        const int runs = 5;
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        settings["OpsConductor__Notifications__MaxAttempts"] = "2";
        var data = Directory.CreateTempSubdirectory("opsc-test-").FullName;
        await using var smtp = await Smtp4devServer.StartAsync(new Smtp4devServer.Options(RecipientValidation: "recipient.indexOf('refused-') < 0"));
        await using var host = await HostProcess.StartAsync(settings, WithoutExecutor, data);
        using var admin = host.Client();
        await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var refused = Recipient("refused");
        var accepted = Recipient("accepted");
        var (jobId, jobName) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [refused]), ("cancelled", [accepted]));
        var ids = await CancelledRunsAsync(admin, jobId, runs);
        // Nothing is sent before SMTP is set up: all ten messages wait, then go out together in one batch.
        foreach (var id in ids)
        {
            await WaitForNotificationAsync(admin, id, n => n.Str("rule") == "job:1");
            await WaitForNotificationAsync(admin, id, n => n.Str("rule") == "job:0");
        }
        await SmtpAsync(admin, smtp.SmtpPort);

        var delivered = await smtp.WaitForAsync(m => m.To.Contains(accepted), runs);
        foreach (var id in ids)
        {
            var gaveUp = await WaitForNotificationAsync(admin, id, n => n.Str("rule") == "job:0" && n.Str("status") == "failed");
            Assert.Equal(2, gaveUp.GetProperty("attempts").GetInt32());
            Assert.Contains("550", gaveUp.Str("lastError"));
            var detail = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/notifications/{gaveUp.GetProperty("id").GetInt64()}"));
            var attempts = detail.GetProperty("attemptLog").EnumerateArray().ToList();
            Assert.Equal(2, attempts.Count);
            Assert.All(attempts, a => Assert.False(a.GetProperty("success").GetBoolean()));
            Assert.All(attempts, a => Assert.Contains("refused", a.Str("response")));

            var sent = await WaitForNotificationAsync(admin, id, n => n.Str("rule") == "job:1" && n.Str("status") == "sent");
            Assert.Equal(1, sent.GetProperty("attempts").GetInt32());
        }
        delivered = (await smtp.MessagesAsync()).Where(m => m.To.Contains(accepted)).ToList();
        Assert.Equal(ids.Select(id => $"[OpsConductor] {jobName} was cancelled (run {id})").Order(), delivered.Select(m => m.Subject).Order());
        Assert.DoesNotContain(await smtp.MessagesAsync(), m => m.To.Contains(refused));
    }

    [Fact]
    public async Task A_batch_split_over_four_connections_arrives_exactly_once_over_four_sessions_at_once()
    {
        const int runs = 40;
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        settings["OpsConductor__Notifications__BatchSize"] = $"{runs}";
        settings["OpsConductor__Notifications__SenderConnections"] = "4";
        var data = Directory.CreateTempSubdirectory("opsc-test-").FullName;
        await using var smtp = await Smtp4devServer.StartAsync();
        await using var host = await HostProcess.StartAsync(settings, WithoutExecutor, data);
        using var admin = host.Client();
        await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var to = Recipient("parallel");
        var (jobId, jobName) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [to]));
        var ids = await CancelledRunsAsync(admin, jobId, runs);
        // All forty wait for SMTP to be set up, so the first round claims them together and deals them out over four connections.
        await WaitForPendingAsync(admin, runs);
        await SmtpAsync(admin, smtp.SmtpPort);

        await smtp.WaitForAsync(m => m.To.Contains(to), runs);
        await WaitForPendingAsync(admin, 0);
        var arrived = (await smtp.MessagesAsync()).Where(m => m.To.Contains(to)).ToList();
        Assert.Equal(ids.Select(id => $"[OpsConductor] {jobName} was cancelled (run {id})").Order(), arrived.Select(m => m.Subject).Order());
        var sent = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications?status=sent&pageSize=500"));
        Assert.Equal(runs, sent.GetProperty("total").GetInt32());
        Assert.All(sent.GetProperty("items").EnumerateArray(), n => Assert.Equal(1, n.GetProperty("attempts").GetInt32()));

        var sessions = (await smtp.SessionsAsync()).Where(s => s.Messages > 0).ToList();
        Assert.Equal(4, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(runs / 4, s.Messages));
        // At once, not one after another: every connection opened before the first one closed.
        Assert.True(sessions.Max(s => s.Start) < sessions.Min(s => s.End ?? DateTimeOffset.MaxValue),
            string.Join("\n", sessions.Select(s => $"{s.Id}: {s.Messages} messages, {s.Start:HH:mm:ss.fff}-{s.End:HH:mm:ss.fff}")));
    }

    static async Task WaitForPendingAsync(ApiClient admin, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var pending = -1;
        while (DateTime.UtcNow < deadline)
        {
            pending = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/notifications?status=pending"))).GetProperty("total").GetInt32();
            if (pending == count)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{pending} pending notifications, not {count}, after 60 s");
    }
}
