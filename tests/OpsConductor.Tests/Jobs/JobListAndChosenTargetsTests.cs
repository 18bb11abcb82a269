using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Jobs;

/// <summary>
/// What the web UI's jobs list and run dialog rely on: each job's newest run in the list, and a run on targets the
/// operator chose instead of the job's own (Run again… with other targets).
/// </summary>
public sealed class JobListAndChosenTargetsTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    static async Task<JsonElement> ListedAsync(ApiClient client, long jobId)
    {
        var page = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/api/v1/jobs?page=1&pageSize=200"));
        return page.GetProperty("items").EnumerateArray().Single(j => j.GetProperty("id").GetInt64() == jobId);
    }

    [Fact]
    public async Task The_jobs_list_shows_each_jobs_newest_run_and_nothing_for_a_job_that_never_ran()
    {
        using var op = await fleet.AdminAsync();
        var ran = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo hi" }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var idle = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo hi" }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var first = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, ran));
        var second = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, ran));

        var last = (await ListedAsync(op, ran)).GetProperty("lastRun");
        Assert.Equal(second.GetProperty("id").GetInt64(), last.GetProperty("id").GetInt64());
        Assert.NotEqual(first.GetProperty("id").GetInt64(), last.GetProperty("id").GetInt64());
        Assert.Equal("succeeded", last.Str("status"));
        Assert.Equal(second.GetProperty("finishedAt").GetDateTimeOffset(), last.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, (await ListedAsync(op, idle)).GetProperty("lastRun").ValueKind);
    }

    [Fact]
    public async Task A_run_on_chosen_targets_runs_on_exactly_those_and_an_empty_choice_is_refused()
    {
        using var op = await fleet.AdminAsync();
        // The job's own selector is every target of the fleet (its tag).
        var job = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo {{word}}" }],
            [new { name = "word", type = "string", required = true }]);
        var chosen = new[] { fleet.TargetIds[1], fleet.TargetIds[2] };
        var started = await op.ExpectAsync(HttpStatusCode.Accepted,
            op.PostAsync($"/api/v1/jobs/{job}/runs", new { parameters = new { word = "chosen" }, targetIds = chosen.Append(chosen[0]) }));
        var run = await FleetFixture.WaitAsync(op, started.GetProperty("id").GetInt64());

        Assert.Equal("succeeded", run.Str("status"));
        var targets = run.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(chosen.Order(), targets.Select(t => t.GetProperty("targetId").GetInt64()).Order());
        Assert.All(targets, t => Assert.Equal("chosen", t.GetProperty("steps")[0].Str("stdout")));

        var refused = await op.ExpectAsync(HttpStatusCode.BadRequest,
            op.PostAsync($"/api/v1/jobs/{job}/runs", new { parameters = new { word = "none" }, targetIds = Array.Empty<long>() }));
        Assert.Contains("at least one target", refused.GetProperty("errors").GetProperty("targetIds")[0].GetString());
    }
}
