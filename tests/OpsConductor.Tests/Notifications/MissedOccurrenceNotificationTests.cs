using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Scheduling;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>
/// A schedule's occurrence missed while the host was down (past the misfire grace) mails the job's <c>missed</c> rule and
/// the default rule once the host is back, once each, through a real SMTP server; the history and the preview show it.
/// </summary>
public sealed class MissedOccurrenceNotificationTests
{
    static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public async Task An_occurrence_missed_while_the_host_was_down_mails_its_rules_once_after_the_restart()
    {
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        settings["OpsConductor__Scheduler__MisfireGraceSeconds"] = "1";
        settings["OpsConductor__Scheduler__LateToleranceSeconds"] = "0";
        // Nothing queued ahead of its time (the lookahead) before the host goes down: the occurrence must be missed.
        settings["OpsConductor__Scheduler__LookaheadSeconds"] = "0";
        settings["OpsConductor__PublicUrl"] = "https://ops.example.test";
        var data = Directory.CreateTempSubdirectory("opsc-missed-").FullName;
        await using var smtp = await Smtp4devServer.StartAsync();
        var onCall = Recipient("missed");
        var everyMiss = Recipient("ops-missed");
        long scheduleId, jobId;
        string jobName, scheduleName = Inventory.UniqueName("nightly");
        DateTime runAt;
        await using (var first = await HostProcess.StartAsync(settings, dataDirectory: data))
        {
            using var admin = first.Client();
            await admin.LoginAsync("admin", HostProcess.AdminPassword);
            await SmtpAsync(admin, smtp.SmtpPort);
            await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync("/api/v1/notifications/rules/default",
                new { events = new[] { "missed" }, recipients = new[] { everyMiss } }));
            (jobId, jobName) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("missed", [onCall]), ("failed", [Recipient("never")]));
            runAt = DateTime.UtcNow.AddSeconds(3);
            scheduleId = (await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules",
                new { name = scheduleName, jobId, runAt = TimeZoneInfo.ConvertTimeFromUtc(runAt, Paris).ToString("yyyy-MM-ddTHH:mm:ss"), timezone = "Europe/Paris" })))
                .GetProperty("id").GetInt64();
            first.Kill();
        }
        // Down past the due time and the grace: the occurrence cannot fire any more and is recorded missed on restart.
        while (DateTime.UtcNow < runAt.AddSeconds(4))
        {
            await Task.Delay(100);
        }

        await using var second = await HostProcess.StartAsync(settings, dataDirectory: data);
        using var again = second.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);
        var occurrence = Assert.Single(await SchedulingWait.OccurrencesAsync(again, scheduleId, list => list.Count > 0));
        Assert.Equal("missed", occurrence.Str("status"));

        var mail = Assert.Single(await smtp.WaitForAsync(m => m.To.Contains(onCall)));
        Assert.Contains(scheduleName, mail.Subject);
        Assert.Contains(jobName, mail.Subject);
        var message = await smtp.MessageAsync(mail.Id);
        Assert.NotNull(message.HtmlBody);
        Assert.Contains("Due (UTC):", message.TextBody);
        Assert.Contains("Europe/Paris", message.TextBody);
        Assert.Contains("misfire grace", message.TextBody);
        Assert.Contains($"https://ops.example.test/schedules/{scheduleId}", message.TextBody);
        Assert.Single(await smtp.WaitForAsync(m => m.To.Contains(everyMiss)));

        var history = await WaitForAsync(again, $"/api/v1/notifications?jobId={jobId}&event=missed",
            items => items.Count == 2 && items.All(n => n.Str("status") == "sent"));
        Assert.All(history, n =>
        {
            Assert.Equal(JsonValueKind.Null, n.GetProperty("runId").ValueKind);
            Assert.Equal(scheduleId, n.GetProperty("scheduleId").GetInt64());
            Assert.Equal(scheduleName, n.Str("scheduleName"));
            Assert.Equal(occurrence.GetProperty("id").GetInt64(), n.GetProperty("occurrenceId").GetInt64());
        });
        Assert.Equal(new[] { "default", "job:0" }, history.Select(n => n.Str("rule")).Order());
        // Nothing else was sent to the job's rules: the failed rule never matched, and each rule's mail came once.
        Assert.Single(await smtp.MessagesAsync(), m => m.To.Contains(onCall));
        Assert.Single(await smtp.MessagesAsync(), m => m.To.Contains(everyMiss));

        var preview = await again.ExpectAsync(HttpStatusCode.OK, again.PostAsync("/api/v1/notifications/templates/missed/preview",
            new { occurrenceId = occurrence.GetProperty("id").GetInt64() }));
        Assert.Equal(mail.Subject, preview.Str("subject"));
        Assert.Contains("Europe/Paris", preview.Str("text"));
        var problem = await again.ExpectAsync(HttpStatusCode.BadRequest, again.PostAsync("/api/v1/notifications/templates/missed/preview", new { }));
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurrenceId", out _));
    }

    static async Task<List<JsonElement>> WaitForAsync(ApiClient client, string url, Func<List<JsonElement>, bool> until, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<JsonElement> items = [];
        while (DateTime.UtcNow < deadline)
        {
            items = (await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync(url))).GetProperty("items").EnumerateArray().ToList();
            if (until(items))
            {
                return items;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} did not get there in {seconds} s: {string.Join(", ", items)}");
    }
}
