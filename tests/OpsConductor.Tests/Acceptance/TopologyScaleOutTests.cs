using System.Diagnostics;
using System.Net;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Scheduling;

namespace OpsConductor.Tests.Acceptance;

/// <summary>
/// Two executors on one PostgreSQL, through the topology's gateway (test.sh runs these only against
/// scripts/topology.sh, with a 10-second lease): a burst runs each run once, and killing an executor mid-run
/// strands nothing.
/// </summary>
[Trait("Category", TestCategories.Topology)]
[Collection(AcceptanceCollection.Name)]
public sealed class TopologyScaleOutTests(AcceptanceFixture site)
{
    static async Task<int> CountAsync(ApiClient client, long jobId, string status) =>
        (await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/runs?jobId={jobId}&status={status}&pageSize=1"))).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_burst_of_500_runs_on_two_executors_executes_every_run_exactly_once()
    {
        using var admin = await site.AdminAsync();
        var ledger = $"/tmp/opsc-burst-{Guid.NewGuid():N}.log";
        var job = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("burst"),
            parameters = new[] { new { name = "n", type = "int", required = true } },
            steps = new[] { new { name = "count", type = "command", script = $"echo {{{{n}}}} >> {ledger}" } },
            targets = new { targetIds = new[] { site.TargetIds[0] } },
        }));
        var jobId = job.GetProperty("id").GetInt64();
        const int runs = 500;
        var ids = new List<long>();
        foreach (var chunk in Enumerable.Range(1, runs).Chunk(25))
        {
            ids.AddRange(await Task.WhenAll(chunk.Select(n => FleetFixture.StartAsync(admin, jobId, new { n }))));
        }

        // Unfinished first: a run counted as running may finish before a later query, never the other way round.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline && await CountAsync(admin, jobId, "queued") + await CountAsync(admin, jobId, "running") > 0)
        {
            await Task.Delay(500);
        }
        var succeeded = await CountAsync(admin, jobId, "succeeded");
        Assert.Equal(runs, succeeded);
        var lines = (await File.ReadAllLinesAsync(ledger)).Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(1, runs), lines.Order());
        File.Delete(ledger);

        // Both executors were up and heartbeating throughout (which one ran each run is not exposed).
        var workers = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/executor/status"))).GetProperty("workers");
        Assert.True(workers.GetArrayLength() >= 2, workers.ToString());
    }

    [Fact]
    public async Task Two_schedulers_fire_every_occurrence_once_and_the_two_executors_run_each_once()
    {
        using var admin = await site.AdminAsync();
        var job = (await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("every-second"),
            steps = new[] { new { name = "noop", type = "command", script = "true" } },
            targets = new { targetIds = new[] { site.TargetIds[2] } },
        }))).GetProperty("id").GetInt64();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/schedules",
                new { name = Inventory.UniqueName("each-second"), jobId = job, cron = "* * * * * *" }))).GetProperty("id").GetInt64());
        }
        await SchedulingWait.OccurrencesAsync(admin, ids[^1], list => list.Count(o => o.Str("status") == "fired") >= 15, seconds: 120);
        foreach (var id in ids)
        {
            await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/schedules/{id}/pause"));
        }
        foreach (var id in ids)
        {
            var occurrences = await SchedulingWait.OccurrencesAsync(admin, id, list => list.All(o => o.Str("status") != "pending"));
            Assert.All(occurrences, o => Assert.Equal("fired", o.Str("status")));
            var times = occurrences.Select(o => o.GetProperty("scheduledFor").GetDateTimeOffset()).Order().ToList();
            Assert.Equal((int)(times[^1] - times[0]).TotalSeconds + 1, times.Count);
            var runs = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/runs?scheduleId={id}&pageSize=500")))
                .GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(times, runs.Select(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).Order());
            foreach (var run in runs)
            {
                var done = await FleetFixture.WaitAsync(admin, run.GetProperty("id").GetInt64());
                Assert.Equal("succeeded", done.Str("status"));
            }
        }
    }

    [Fact]
    public async Task Killing_an_executor_mid_run_fails_that_run_with_the_reason_after_the_lease_and_the_other_executor_keeps_working()
    {
        using var admin = await site.AdminAsync();
        var job = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("kill"),
            steps = new[] { new { name = "slow", type = "command", script = "echo started; sleep 20; echo finished" } },
            targets = new { targetIds = new[] { site.TargetIds[1] } },
        }));
        var jobId = job.GetProperty("id").GetInt64();
        var runId = await FleetFixture.StartAsync(admin, jobId);
        await FleetFixture.WaitAsync(admin, runId, r => r.Str("status") == "running"
            && r.GetProperty("targets").EnumerateArray().Any(t => t.GetProperty("steps").EnumerateArray().Any(s => s.Str("stdout").Contains("started"))));

        // The worker id is host-pid-suffix; the topology runs on this machine.
        // Nothing else runs meanwhile (the collection is not parallel); the busy count arrives with the next heartbeat.
        string[]? busy = null;
        for (var i = 0; i < 100 && busy is null; i++)
        {
            var workers = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/executor/status"))).GetProperty("workers");
            busy = workers.EnumerateArray().Where(w => w.GetProperty("runningRuns").GetInt32() > 0).Select(w => w.Str("id").Split('-')).SingleOrDefault();
            await Task.Delay(busy is null ? 200 : 0);
        }
        Assert.NotNull(busy);
        var pid = int.Parse(busy[^2]);
        try
        {
            Process.GetProcessById(pid).Kill();

            var failed = await FleetFixture.WaitAsync(admin, runId, seconds: 90);
            Assert.Equal("failed", failed.Str("status"));
            Assert.Contains("stopped responding; its lease expired", failed.Str("error"));
            Assert.All(failed.GetProperty("targets").EnumerateArray(), t => Assert.Equal("failed", t.Str("status")));

            var quick = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", new
            {
                name = Inventory.UniqueName("after-kill"),
                steps = new[] { new { name = "s", type = "command", script = "echo still-here" } },
                targets = new { targetIds = new[] { site.TargetIds[1] } },
            }));
            var next = await FleetFixture.WaitAsync(admin, await FleetFixture.StartAsync(admin, quick.GetProperty("id").GetInt64()));
            Assert.Equal("succeeded", next.Str("status"));
        }
        finally
        {
            // Bring the killed executor back (topology.sh up starts what is not running).
            using var up = Process.Start(new ProcessStartInfo("bash", [RepositoryPaths.Combine("scripts", "topology.sh"), "up"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await up.StandardOutput.ReadToEndAsync();
            await up.WaitForExitAsync();
        }
    }
}
