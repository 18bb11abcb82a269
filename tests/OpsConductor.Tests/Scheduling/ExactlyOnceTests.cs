using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>Two scheduler processes on one PostgreSQL database: every occurrence starts exactly one run, enforced by the database.</summary>
public sealed class ExactlyOnceTests
{
    [PostgresFact]
    public async Task Two_scheduler_processes_fire_every_occurrence_exactly_once()
    {
        var database = await TestDatabase.NewAsync();
        var root = Directory.CreateTempSubdirectory("opsc-two-schedulers-").FullName;
        // The API and the jobs service, no scheduler worker and no executor (the runs stay queued: only they are counted).
        await using var api = await HostProcess.StartAsync(database, services: "auth,users,credentials,targets,jobs", dataDirectory: Path.Combine(root, "api"));
        var schedulerSettings = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(api.BaseAddress, "/api/v1/auth/jwks").ToString(),
        };
        await using var one = await HostProcess.StartAsync(schedulerSettings, services: "scheduler", dataDirectory: Path.Combine(root, "one"));
        await using var two = await HostProcess.StartAsync(schedulerSettings, services: "scheduler", dataDirectory: Path.Combine(root, "two"));

        using var jobs = api.Client();
        var token = (await jobs.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        using var schedules = one.Client().WithToken(token);
        using var other = two.Client().WithToken(token);
        var job = (await jobs.ExpectAsync(HttpStatusCode.Created, jobs.PostAsync("/api/v1/jobs", new
        {
            name = "counted",
            steps = new[] { new { name = "noop", type = "command", script = "true" } },
            targets = new { tags = new[] { "nowhere" } },
        }))).GetProperty("id").GetInt64();

        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var client = i % 2 == 0 ? schedules : other;
            ids.Add((await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/schedules",
                new { name = $"every-second-{i}", jobId = job, cron = "* * * * * *" }))).GetProperty("id").GetInt64());
        }
        // Twenty occurrences due already (runs are also queued up to 10 s ahead: pausing withdraws those, and the
        // withdrawal is checked below too: no run stays without its occurrence).
        await SchedulingWait.OccurrencesAsync(schedules, ids[^1], list => list.Count(o => o.Str("status") == "fired"
            && o.GetProperty("scheduledFor").GetDateTimeOffset() <= DateTimeOffset.UtcNow) >= 20, seconds: 120);
        // Paused through both processes, while both plan ahead: a pause must not race the other process's claim.
        var pausedBy = new Dictionary<long, DateTimeOffset>();
        for (var i = 0; i < ids.Count; i++)
        {
            var client = i % 2 == 0 ? other : schedules;
            await client.ExpectAsync(HttpStatusCode.OK, client.PostAsync($"/api/v1/schedules/{ids[i]}/pause"));
            pausedBy[ids[i]] = DateTimeOffset.UtcNow.AddSeconds(1); // what was due within the withdrawal's 1 s margin may stay
        }

        var total = 0;
        foreach (var id in ids)
        {
            var occurrences = await SchedulingWait.OccurrencesAsync(schedules, id, list => list.All(o => o.Str("status") != "pending"));
            Assert.All(occurrences, o => Assert.Equal("fired", o.Str("status")));
            // No gap: one occurrence for every second from the first to the last.
            var times = occurrences.Select(o => o.GetProperty("scheduledFor").GetDateTimeOffset()).Order().ToList();
            Assert.Equal(times.Count, times.Distinct().Count());
            Assert.Equal((int)(times[^1] - times[0]).TotalSeconds + 1, times.Count);
            Assert.True(times[^1] <= pausedBy[id], $"schedule {id} fired at {times[^1]:O}, after its pause");
            // No duplicate: exactly one run per occurrence, and it is the occurrence's run.
            var runs = await jobs.ExpectAsync(HttpStatusCode.OK, jobs.GetAsync($"/api/v1/runs?scheduleId={id}&pageSize=500"));
            var items = runs.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(times.Count, items.Count);
            Assert.Equal(times, items.Select(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).Order());
            Assert.Equal(occurrences.Select(o => o.GetProperty("runId").GetInt64()).Order(), items.Select(r => r.GetProperty("id").GetInt64()).Order());
            total += times.Count;
        }
        Assert.True(total >= 200, $"only {total} occurrences");
    }
}
