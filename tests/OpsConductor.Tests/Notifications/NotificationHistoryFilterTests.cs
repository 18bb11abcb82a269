using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>
/// The history's filters combine (job, run, status, event) and a bad value is a 400 naming it; the OpenAPI document
/// says a notification's event is never null. No SMTP server is configured: the messages wait, pending.
/// </summary>
public sealed class NotificationHistoryFilterTests
{
    const string WithoutExecutor = "auth,users,credentials,targets,jobs,scheduler,notifications";

    [Fact]
    public async Task The_history_filters_by_job_run_status_and_event_together()
    {
        var settings = (await TestDatabase.NewAsync()).Concat(Fast).ToDictionary();
        await using var host = await HostProcess.StartAsync(settings, WithoutExecutor);
        using var admin = host.Client();
        await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var (jobA, _) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [Recipient("a")]));
        var (jobB, _) = await JobAsync(admin, new { tags = new[] { "nowhere" } }, "true", ("cancelled", [Recipient("b")]));
        var a1 = await FleetFixture.StartAsync(admin, jobA);
        var a2 = await FleetFixture.StartAsync(admin, jobA);
        var b1 = await FleetFixture.StartAsync(admin, jobB);
        foreach (var run in new[] { a1, a2, b1 })
        {
            await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/runs/{run}/cancel"));
            await WaitForNotificationAsync(admin, run, _ => true);
        }

        async Task<List<JsonElement>> ListAsync(string query) =>
            (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/notifications?{query}"))).GetProperty("items").EnumerateArray().ToList();
        static long[] Runs(List<JsonElement> items) => items.Select(n => n.GetProperty("runId").GetInt64()).Order().ToArray();

        Assert.Equal(new[] { a1, a2 }, Runs(await ListAsync($"jobId={jobA}")));
        Assert.Equal(new[] { b1 }, Runs(await ListAsync($"jobId={jobB}")));
        Assert.Equal(new[] { a2 }, Runs(await ListAsync($"runId={a2}")));
        Assert.Empty(await ListAsync($"jobId={jobA}&runId={b1}"));
        Assert.Equal(new[] { b1 }, Runs(await ListAsync($"jobId={jobB}&status=pending&event=cancelled")));
        Assert.Empty(await ListAsync($"jobId={jobA}&status=sent"));
        Assert.Empty(await ListAsync($"jobId={jobA}&event=missed"));
        Assert.Empty(await ListAsync("jobId=999999"));

        var badEvent = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/notifications?event=exploded"));
        Assert.True(badEvent.GetProperty("errors").TryGetProperty("event", out _));
        var badStatus = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync($"/api/v1/notifications?jobId={jobA}&status=lost"));
        Assert.True(badStatus.GetProperty("errors").TryGetProperty("status", out _));

        var doc = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/openapi/v1.json"));
        var events = doc.GetProperty("components").GetProperty("schemas").GetProperty("NotificationEvent");
        Assert.DoesNotContain(events.GetProperty("enum").EnumerateArray(), e => e.ValueKind == JsonValueKind.Null);
        Assert.Contains(events.GetProperty("enum").EnumerateArray(), e => e.GetString() == "missed");
        var list = doc.GetProperty("paths").GetProperty("/api/v1/notifications").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.Str("name")).ToList();
        Assert.Superset(new HashSet<string> { "status", "event", "runId", "jobId", "scheduleId", "page", "pageSize" }, list.ToHashSet());
    }
}
