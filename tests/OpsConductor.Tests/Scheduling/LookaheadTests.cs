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

    static async Task<long> CreateAsync(ApiClient client, object body) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/schedules", body))).GetProperty("id").GetInt64();
}
