using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>The fleet's host with the scheduler's lookahead on: runs queued 10 s before their time.</summary>
public sealed class LookaheadFleetFixture : FleetFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["OpsConductor__Scheduler__LookaheadSeconds"] = "10",
    };
}

/// <summary>Runs queued ahead of their time (LookaheadSeconds) start at it, and a change withdraws them, in a real host on real sshd targets.</summary>
public sealed class LookaheadTests(LookaheadFleetFixture fleet) : IClassFixture<LookaheadFleetFixture>
{
    static readonly object[] Echo = [new { name = "echo", type = "command", script = "echo scheduled {{who}}" }];
    static readonly object[] Who = [new { name = "who", type = "string", required = true }];

    [Fact]
    public async Task A_run_queued_ahead_of_its_time_waits_for_it_and_then_runs()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, Echo, Who, targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runAt = DateTime.UtcNow.AddSeconds(6);
        var schedule = await CreateAsync(op, new { name = Inventory.UniqueName("ahead"), jobId = job, runAt = runAt.ToString("yyyy-MM-ddTHH:mm:ss"), parameters = new { who = "ahead" } });

        // Within the lookahead its run is queued at once, for its time.
        var occurrence = Assert.Single(await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Any(o => o.Str("status") == "fired")));
        var due = occurrence.GetProperty("scheduledFor").GetDateTimeOffset();
        var runId = occurrence.GetProperty("runId").GetInt64();
        var queued = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs/{runId}"));
        if (DateTimeOffset.UtcNow < due.AddSeconds(-1))
        {
            Assert.Equal("queued", queued.Str("status"));
            Assert.Contains("Scheduled for", queued.Str("waitReason"));
        }
        Assert.Equal(due, queued.GetProperty("queuedAt").GetDateTimeOffset());

        var run = await FleetFixture.WaitAsync(op, runId);
        Assert.Equal("succeeded", run.Str("status"));
        Assert.True(run.GetProperty("startedAt").GetDateTimeOffset() >= due, "the run started before its time");
        Assert.Equal("scheduled ahead", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
    }

    [Fact]
    public async Task Pausing_withdraws_the_runs_queued_ahead_and_resuming_plans_them_again()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, Echo, Who, targets: new { targetIds = new[] { fleet.TargetIds[1] } });
        var schedule = await CreateAsync(op, new { name = Inventory.UniqueName("paused-ahead"), jobId = job, cron = "*/3 * * * * *", parameters = new { who = "again" } });
        await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Any(o => o.Str("status") == "fired"
            && o.GetProperty("scheduledFor").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(3)));

        await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{schedule}/pause"));
        // Only what was due within the withdrawal's 1 s margin may stay.
        var latest = DateTimeOffset.UtcNow.AddSeconds(1);
        var occurrences = await SchedulingWait.AllOccurrencesAsync(op, schedule);
        Assert.All(occurrences, o => Assert.True(o.GetProperty("scheduledFor").GetDateTimeOffset() <= latest, $"{o} survived the pause"));
        var runs = (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?scheduleId={schedule}&pageSize=500"))).GetProperty("items").EnumerateArray().ToList();
        Assert.All(runs, r => Assert.True(r.GetProperty("scheduledFor").GetDateTimeOffset() <= latest, $"run {r.GetProperty("id")} survived the pause"));
        Assert.Equal(occurrences.Where(o => o.Str("status") == "fired").Select(o => o.GetProperty("runId").GetInt64()).Order(),
            runs.Select(r => r.GetProperty("id").GetInt64()).Order());
        Assert.Equal(JsonValueKind.Null, (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules/{schedule}"))).GetProperty("nextFireAt").ValueKind);

        await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{schedule}/resume"));
        var resumed = DateTimeOffset.UtcNow;
        var after = await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Any(o => o.Str("status") == "fired"
            && o.GetProperty("scheduledFor").GetDateTimeOffset() > resumed));
        var next = after.Where(o => o.GetProperty("scheduledFor").GetDateTimeOffset() > resumed).MinBy(o => o.GetProperty("scheduledFor").GetDateTimeOffset());
        var run = await FleetFixture.WaitAsync(op, next.GetProperty("runId").GetInt64());
        Assert.Equal("succeeded", run.Str("status"));
        await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{schedule}/pause"));
    }

    [Fact]
    public async Task A_blackout_window_created_after_runs_were_queued_ahead_skips_them()
    {
        using var admin = await fleet.AdminAsync();
        var tag = Inventory.UniqueName("late-freeze");
        var job = await fleet.JobAsync(admin, Echo, Who, targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var schedule = await CreateAsync(admin, new { name = Inventory.UniqueName("frozen-late"), jobId = job, cron = "*/2 * * * * *", tags = new[] { tag }, parameters = new { who = "late" } });
        await SchedulingWait.OccurrencesAsync(admin, schedule, list => list.Any(o => o.Str("status") == "fired"
            && o.GetProperty("scheduledFor").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(3)));

        var window = Inventory.UniqueName("late freeze");
        var now = DateTime.UtcNow;
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules/blackout-windows", new
        {
            name = window,
            timezone = "UTC",
            periods = new[] { new { start = now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss"), end = now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss") } },
            tags = new[] { tag },
        }));
        var latest = DateTimeOffset.UtcNow.AddSeconds(1);

        var occurrences = await SchedulingWait.OccurrencesAsync(admin, schedule, list => list.Count(o => o.Str("status") == "skipped") >= 2);
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/schedules/{schedule}/pause"));
        Assert.All(occurrences.Where(o => o.GetProperty("scheduledFor").GetDateTimeOffset() > latest), o =>
        {
            Assert.Equal("skipped", o.Str("status"));
            Assert.Equal(window, o.Str("reason"));
        });
        var runs = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs?scheduleId={schedule}&pageSize=500"))).GetProperty("items").EnumerateArray();
        Assert.All(runs, r => Assert.True(r.GetProperty("scheduledFor").GetDateTimeOffset() <= latest, $"run {r.GetProperty("id")} ran in the window"));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/schedules/blackout-windows/{created.GetProperty("id").GetInt64()}"));
    }

    static async Task<long> CreateAsync(ApiClient client, object body) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/schedules", body))).GetProperty("id").GetInt64();
}
