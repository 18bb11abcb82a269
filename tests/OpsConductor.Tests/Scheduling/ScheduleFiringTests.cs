using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>Schedules fire in a real host, and their runs execute on real sshd targets.</summary>
public sealed class ScheduleFiringTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    static readonly object[] Echo = [new { name = "echo", type = "command", script = "echo scheduled {{who}}" }];
    static readonly object[] Who = [new { name = "who", type = "string", required = true }];

    [Fact]
    public async Task A_six_field_cron_schedule_fires_every_few_seconds_and_its_runs_execute_on_the_targets()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, Echo, Who, targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var name = Inventory.UniqueName("every-2s");
        var schedule = await CreateAsync(op, new { name, jobId = job, cron = "*/2 * * * * *", parameters = new { who = "by-cron" } });

        var fired = await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Count(o => o.Str("status") == "fired") >= 2);
        var first = fired.First(o => o.Str("status") == "fired");
        var run = await FleetFixture.WaitAsync(op, first.GetProperty("runId").GetInt64());

        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal("schedule", run.Str("trigger"));
        Assert.Equal(name, run.Str("scheduleName"));
        Assert.Equal(schedule, run.GetProperty("scheduleId").GetInt64());
        Assert.Equal($"schedule:{name}", run.Str("requestedBy"));
        Assert.Equal(first.GetProperty("scheduledFor").GetDateTimeOffset(), run.GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Equal("scheduled by-cron", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
        Assert.All(fired.Where(o => o.Str("status") == "fired"), o => Assert.Equal(0, o.GetProperty("scheduledFor").GetDateTimeOffset().Second % 2));

        await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/schedules/{schedule}/pause"));
        var runs = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?scheduleId={schedule}&pageSize=500"));
        Assert.All(runs.GetProperty("items").EnumerateArray(), r => Assert.Equal(name, r.Str("scheduleName")));
        var shown = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/schedules/{schedule}"));
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("lastFireAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("lastRunId").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("lastRunStatus").ValueKind);

        // Users cannot claim the scheduler's trigger.
        await op.ExpectAsync(HttpStatusCode.BadRequest, op.PostAsync($"/api/v1/jobs/{job}/runs", new { parameters = new { who = "x" }, trigger = "schedule" }));
    }

    [Fact]
    public async Task A_one_time_schedule_fires_once_at_its_local_time_and_then_disables_itself()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, Echo, Who, targets: new { targetIds = new[] { fleet.TargetIds[1] } });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(3), zone).ToString("yyyy-MM-ddTHH:mm:ss");
        var schedule = await CreateAsync(op, new
        {
            name = Inventory.UniqueName("once"),
            jobId = job,
            runAt = local,
            timezone = "America/New_York",
            parameters = new { who = "once" }
        });

        var occurrences = await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Any(o => o.Str("status") == "fired"));
        var shown = await SchedulingWait.ScheduleAsync(op, schedule, s => !s.GetProperty("enabled").GetBoolean());
        Assert.Contains("one-time", shown.Str("disabledReason"));
        Assert.Contains(local, shown.Str("disabledReason"));
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("nextFireAt").ValueKind);
        var run = await FleetFixture.WaitAsync(op, Assert.Single(occurrences).GetProperty("runId").GetInt64());
        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal("scheduled once", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
        var runs = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?scheduleId={schedule}"));
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Deleting_the_job_disables_its_schedules_with_a_visible_reason()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, Echo, Who);
        // Due after the lookahead (10 s): the job is gone before its run could be queued (a job with queued runs cannot be deleted).
        var runAt = DateTime.UtcNow.AddSeconds(15).ToString("yyyy-MM-ddTHH:mm:ss");
        var schedule = await CreateAsync(op, new { name = Inventory.UniqueName("orphan"), jobId = job, runAt, parameters = new { who = "x" } });
        await op.ExpectAsync(HttpStatusCode.NoContent, op.DeleteAsync($"/api/v1/jobs/{job}"));

        // The claim disables the one-time schedule at once; starting its run then finds the job gone and says so.
        var shown = await SchedulingWait.ScheduleAsync(op, schedule, s => s.Str("disabledReason").Contains("deleted"));
        Assert.False(shown.GetProperty("enabled").GetBoolean());
        Assert.Equal($"Job {job} was deleted.", shown.Str("disabledReason"));
        var occurrence = Assert.Single(await SchedulingWait.OccurrencesAsync(op, schedule, list => list.Count > 0));
        Assert.Equal("failed", occurrence.Str("status"));
        var runs = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?scheduleId={schedule}"));
        Assert.Equal(0, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_occurrence_in_a_blackout_window_is_skipped_with_the_windows_name()
    {
        using var admin = await fleet.AdminAsync();
        var tag = Inventory.UniqueName("frozen");
        var now = DateTime.UtcNow;
        var window = Inventory.UniqueName("change freeze");
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules/blackout-windows", new
        {
            name = window,
            timezone = "UTC",
            periods = new[] { new { start = now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss"), end = now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss") } },
            tags = new[] { tag },
            appliesToManualRuns = true,
        }));
        var job = await fleet.JobAsync(admin, Echo, Who);
        var frozen = await CreateAsync(admin, new
        {
            name = Inventory.UniqueName("frozen"),
            jobId = job,
            cron = "* * * * * *",
            tags = new[] { tag },
            parameters = new { who = "never" }
        });
        var preview = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/schedules/{frozen}/preview?count=3"));
        Assert.All(preview.GetProperty("items").EnumerateArray(), i => Assert.Equal(window, i.GetProperty("skipped").Str("window")));

        var skipped = await SchedulingWait.OccurrencesAsync(admin, frozen, list => list.Count >= 2);
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/schedules/{frozen}/pause"));
        Assert.All(skipped, o =>
        {
            Assert.Equal("skipped", o.Str("status"));
            Assert.Equal(window, o.Str("reason"));
        });
        var runs = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs?scheduleId={frozen}"));
        Assert.Equal(0, runs.GetProperty("total").GetInt32());

        // The window also refuses manual runs of the job (it carries the tag through its schedule), unless an admin overrides it.
        var refused = await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PostAsync($"/api/v1/jobs/{job}/runs", new { parameters = new { who = "manual" } }));
        Assert.Contains($"'{window}'", refused.Str("detail"));
        // The job's page can say so before anyone tries: the window and when its period ends.
        var blocked = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/jobs/{job}"))).GetProperty("activeBlackout");
        Assert.Equal(window, blocked.Str("name"));
        Assert.Equal(created.GetProperty("id").GetInt64(), blocked.GetProperty("id").GetInt64());
        Assert.Equal(now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss"), blocked.GetProperty("until").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss"));
        using var op = (await fleet.UserAsync("operator")).Client;
        await op.ExpectAsync(HttpStatusCode.Forbidden, op.PostAsync($"/api/v1/jobs/{job}/runs", new { parameters = new { who = "manual" }, overrideBlackout = true }));
        var untagged = await fleet.JobAsync(admin, Echo, Who);
        Assert.Equal(JsonValueKind.Null, (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/jobs/{untagged}"))).GetProperty("activeBlackout").ValueKind);
        await op.ExpectAsync(HttpStatusCode.Accepted, op.PostAsync($"/api/v1/jobs/{untagged}/runs", new { parameters = new { who = "elsewhere" } }));
        var overridden = await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/jobs/{job}/runs",
            new { parameters = new { who = "manual" }, overrideBlackout = true }));
        Assert.Equal("manual", overridden.Str("trigger"));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/schedules/blackout-windows/{created.GetProperty("id").GetInt64()}"));
    }

    static async Task<long> CreateAsync(ApiClient client, object body) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/schedules", body))).GetProperty("id").GetInt64();
}
