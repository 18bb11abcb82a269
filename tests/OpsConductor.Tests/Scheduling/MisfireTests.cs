using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>The scheduler down and back: an occurrence missed by less than the grace fires once, older ones are recorded missed, never a burst.</summary>
public sealed class MisfireTests
{
    sealed record Setup(Dictionary<string, string> Settings, string Data);

    static async Task<Setup> NewAsync(int graceSeconds)
    {
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__Scheduler__MisfireGraceSeconds"] = graceSeconds.ToString();
        settings["OpsConductor__Scheduler__LateToleranceSeconds"] = "0";
        // The misfire rule itself: nothing queued ahead of its time before the host goes down.
        settings["OpsConductor__Scheduler__LookaheadSeconds"] = "0";
        return new Setup(settings, Directory.CreateTempSubdirectory("opsc-misfire-").FullName);
    }

    static async Task<long> JobAsync(ApiClient client) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("misfire-job"),
            steps = new[] { new { name = "noop", type = "command", script = "true" } },
            targets = new { tags = new[] { "nowhere" } },
        }))).GetProperty("id").GetInt64();

    static async Task<long> ScheduleAsync(ApiClient client, object body) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/schedules", body))).GetProperty("id").GetInt64();

    static async Task UntilAsync(DateTime utc)
    {
        while (DateTime.UtcNow < utc)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_occurrence_missed_within_the_grace_fires_once_after_a_restart()
    {
        var setup = await NewAsync(graceSeconds: 300);
        long schedule;
        DateTime runAt;
        await using (var first = await HostProcess.StartAsync(setup.Settings, dataDirectory: setup.Data))
        {
            using var client = first.Client();
            await client.LoginAsync("admin", HostProcess.AdminPassword);
            var job = await JobAsync(client);
            runAt = DateTime.UtcNow.AddSeconds(3);
            schedule = await ScheduleAsync(client, new { name = "once", jobId = job, runAt = runAt.ToString("yyyy-MM-ddTHH:mm:ss") });
            first.Kill();
        }
        await UntilAsync(runAt.AddSeconds(2));

        await using var second = await HostProcess.StartAsync(setup.Settings, dataDirectory: setup.Data);
        using var again = second.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);
        var occurrence = Assert.Single(await SchedulingWait.OccurrencesAsync(again, schedule, list => list.Any(o => o.Str("status") == "fired")));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, occurrence.GetProperty("runId").ValueKind);
        var runs = await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/runs?scheduleId={schedule}"));
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
        var shown = await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/schedules/{schedule}"));
        Assert.False(shown.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Occurrences_missed_beyond_the_grace_are_recorded_missed_and_never_fire_in_a_burst()
    {
        var setup = await NewAsync(graceSeconds: 1);
        long once, everySecond;
        DateTime runAt;
        DateTimeOffset killedAt;
        await using (var first = await HostProcess.StartAsync(setup.Settings, dataDirectory: setup.Data))
        {
            using var client = first.Client();
            await client.LoginAsync("admin", HostProcess.AdminPassword);
            var job = await JobAsync(client);
            everySecond = await ScheduleAsync(client, new { name = "every second", jobId = job, cron = "* * * * * *" });
            await SchedulingWait.OccurrencesAsync(client, everySecond, list => list.Any(o => o.Str("status") == "fired"));
            runAt = DateTime.UtcNow.AddSeconds(3);
            once = await ScheduleAsync(client, new { name = "once", jobId = job, runAt = runAt.ToString("yyyy-MM-ddTHH:mm:ss") });
            first.Kill();
            killedAt = DateTimeOffset.UtcNow;
        }
        await UntilAsync(runAt.AddSeconds(4));

        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await HostProcess.StartAsync(setup.Settings, dataDirectory: setup.Data);
        using var again = second.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);

        var missedOnce = Assert.Single(await SchedulingWait.OccurrencesAsync(again, once, list => list.Count > 0));
        Assert.Equal("missed", missedOnce.Str("status"));
        var shown = await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/schedules/{once}"));
        Assert.False(shown.GetProperty("enabled").GetBoolean());
        Assert.Contains("was missed", shown.Str("disabledReason"));
        Assert.Equal(0, (await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/runs?scheduleId={once}"))).GetProperty("total").GetInt32());

        var all = await SchedulingWait.OccurrencesAsync(again, everySecond,
            list => list.Any(o => o.Str("status") == "fired" && o.GetProperty("scheduledFor").GetDateTimeOffset() > restartedAt.AddSeconds(1)));
        await again.ExpectAsync(HttpStatusCode.OK, again.PostAsync($"/api/v1/schedules/{everySecond}/pause"));
        all = await SchedulingWait.OccurrencesAsync(again, everySecond, list => list.All(o => o.Str("status") != "pending"));
        var down = all.Where(o => o.GetProperty("scheduledFor").GetDateTimeOffset() > killedAt.AddSeconds(1)
            && o.GetProperty("scheduledFor").GetDateTimeOffset() < restartedAt).ToList();
        Assert.True(down.Count >= 4, $"expected the downtime's occurrences recorded: {string.Join(", ", all)}");
        Assert.True(down.Count(o => o.Str("status") == "fired") <= 1, "more than one occurrence of the downtime fired");
        Assert.Contains(down, o => o.Str("status") == "missed");
        // One row per second, and exactly one run per fired occurrence.
        Assert.Equal(all.Count, all.Select(o => o.GetProperty("scheduledFor").GetDateTimeOffset()).Distinct().Count());
        var runs = await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync($"/api/v1/runs?scheduleId={everySecond}&pageSize=500"));
        Assert.Equal(all.Count(o => o.Str("status") == "fired"), runs.GetProperty("total").GetInt32());
    }
}
