using System.Net;
using System.Text.Json;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Runs.RunStreamClient;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// GET /runs/{id}/events: the typed events of a real run, live while it runs, replayed for late subscribers and after
/// Last-Event-ID, ending with the final status; GET /runs/{id} is their fold; the output downloads are their lines.
/// </summary>
public sealed class LiveEventsTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Output_streams_while_the_command_runs_in_order_and_ends_with_the_status()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "count", type = "command", script = "for i in 1 2 3 4 5 6 7 8; do echo line$i; sleep 0.4; done" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(op, job);

        var events = await ReadAll(op, $"/api/v1/runs/{runId}/events");

        var chunks = events.Where(e => e.Event == "output").ToList();
        Assert.Equal(["line1", "line2", "line3", "line4", "line5", "line6", "line7", "line8"], chunks.SelectMany(e => ((OutputChunk)e.Typed).Lines));
        var end = events.Last();
        Assert.Equal("end", end.Event);
        Assert.Null(end.Id);
        Assert.Equal(RunStatus.Succeeded, Assert.IsType<StreamEnded>(end.Typed).Status);
        // Live, not at the end: the command prints for 3.2 s; even a subscriber that joins a second or two late under
        // load (and gets the first lines replayed together) sees the last line arrive well after its first one.
        Assert.True(chunks[^1].At - chunks[0].At > TimeSpan.FromSeconds(1), $"lines arrived together: {chunks[0].At} .. {chunks[^1].At}");
        var ids = events.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!)).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);
    }

    [Fact]
    public async Task A_real_run_streams_typed_events_in_order_and_its_document_is_their_fold()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [
                new { name = "say", type = "command", script = "echo one; echo two >&2; echo three" },
                new { name = "fail", type = "command", script = "echo failing; exit 3" },
                new { name = "never", type = "command", script = "echo unreachable" },
            ]);
        var runId = await FleetFixture.StartAsync(op, job);
        var live = await ReadAll(op, $"/api/v1/runs/{runId}/events");
        var events = live.Select(e => e.Typed).ToList();

        // Frames: id and event name are the record's.
        foreach (var (frame, e) in live.Zip(events))
        {
            Assert.Equal(frame.Event, e.Kind);
            Assert.Equal(frame.Id, e.Id == 0 ? null : e.Id.ToString());
        }
        var queued = Assert.IsType<RunQueued>(events[0]);
        Assert.Contains("executor", queued.WaitReason);
        var running = events.OfType<StatusChanged>().First();
        Assert.Equal((RunScope.Run, RunStatus.Running), (running.Scope, running.Status));
        Assert.NotNull(running.StartedAt);
        var resolved = Assert.Single(events.OfType<TargetsResolved>());
        Assert.True(events.IndexOf(running) < events.IndexOf(resolved));
        Assert.Equal(fleet.TargetIds.Order(), resolved.Targets.Select(t => t.TargetId).Order());
        Assert.All(resolved.Targets, t => Assert.Equal([(0, "say"), (1, "fail"), (2, "never")], t.Steps.Select(s => (s.Index, s.Name))));
        Assert.Empty(resolved.Problems);

        foreach (var targetId in fleet.TargetIds)
        {
            var mine = events.Where(e => e is StatusChanged { TargetId: { } t } && t == targetId || e is OutputChunk o && o.TargetId == targetId).ToList();
            string Describe(RunStreamEvent e) => e switch
            {
                StatusChanged { Scope: RunScope.Target } s => $"target {s.Status}",
                StatusChanged s => $"step {s.Step} {s.Status}",
                OutputChunk o => $"output {o.Step}",
                _ => e.Kind,
            };
            var shape = mine.Select(Describe).Distinct().ToList(); // consecutive chunks of one step read as one
            Assert.Equal(["target Running", "step 0 Running", "output 0", "step 0 Succeeded", "step 1 Running", "output 1", "step 1 Failed",
                "step 2 Skipped", "target Failed"], shape);

            var target = mine.OfType<StatusChanged>().Where(s => s.Scope == RunScope.Target).ToList();
            Assert.Equal(1, target[0].Attempt);
            Assert.NotNull(target[0].StartedAt);
            Assert.Equal(target[0].StartedAt, target[1].StartedAt);
            Assert.True(target[1].FinishedAt >= target[1].StartedAt);
            Assert.Contains("exit code 3", target[1].Error);

            var steps = mine.OfType<StatusChanged>().Where(s => s.Scope == RunScope.Step).ToList();
            Assert.Equal(0, steps[1].ExitCode);
            Assert.NotNull(steps[1].StartedAt);
            Assert.True(steps[1].FinishedAt >= steps[1].StartedAt);
            Assert.Equal(3, steps[3].ExitCode);
            Assert.Equal("exit code 3", steps[3].Error);
            Assert.Equal((null, null, null, "Not run: an earlier step failed."), (steps[4].StartedAt, steps[4].FinishedAt, steps[4].ExitCode, steps[4].Error));

            var say = mine.OfType<OutputChunk>().Where(o => o.Step == 0).ToList();
            Assert.Equal(["one", "three"], say.Where(o => o.Stream == OutputStream.Stdout).SelectMany(o => o.Lines));
            Assert.Equal(["two"], say.Where(o => o.Stream == OutputStream.Stderr).SelectMany(o => o.Lines));
            AssertConsecutive(say);
        }
        var final = events.OfType<StatusChanged>().Last();
        Assert.Equal((RunScope.Run, RunStatus.Failed), (final.Scope, final.Status));
        Assert.Equal(running.StartedAt, final.StartedAt);
        Assert.Equal(RunStatus.Failed, Assert.IsType<StreamEnded>(events[^1]).Status);
        var ids = events.Where(e => e.Id != 0).Select(e => e.Id).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);

        // A late subscriber gets the same events (the stream's own end is made anew: compare its status).
        var late = await ReadAll(op, $"/api/v1/runs/{runId}/events");
        Assert.Equal(live.SkipLast(1).Select(e => (e.Id, e.Event, e.Data)), late.SkipLast(1).Select(e => (e.Id, e.Event, e.Data)));
        Assert.Equal(RunStatus.Failed, Assert.IsType<StreamEnded>(late[^1].Typed).Status);

        // GET /runs/{id} is the fold of the stream.
        var run = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs/{runId}"));
        AssertFoldEquals(events, run);
    }

    [Fact]
    public async Task Resuming_after_an_event_id_yields_exactly_the_events_after_it()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo one; echo two >&2; echo three" }]);
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId);

        var replay = await ReadAll(op, $"/api/v1/runs/{runId}/events");
        Assert.Equal(9, replay.Where(e => e.Event == "output").SelectMany(e => ((OutputChunk)e.Typed).Lines).Count()); // three lines on each of three targets
        foreach (var middle in new[] { replay.First(e => e.Event == "output").Id!, replay[replay.Count / 2].Id!, replay[^2].Id! })
        {
            var expected = replay.SkipWhile(e => e.Id != middle).Skip(1).SkipLast(1).Select(e => (e.Id, e.Event, e.Data)).ToList();
            op.Http.DefaultRequestHeaders.Add("Last-Event-ID", middle);
            var resumed = await ReadAll(op, $"/api/v1/runs/{runId}/events");
            op.Http.DefaultRequestHeaders.Remove("Last-Event-ID");
            Assert.Equal(expected, resumed.SkipLast(1).Select(e => (e.Id, e.Event, e.Data)));
            Assert.Equal("end", resumed[^1].Event);
            var after = await ReadAll(op, $"/api/v1/runs/{runId}/events?after={middle}");
            Assert.Equal(expected, after.SkipLast(1).Select(e => (e.Id, e.Event, e.Data)));
        }
    }

    [Fact]
    public async Task Big_output_comes_in_bounded_numbered_chunks_and_downloads_as_plain_text()
    {
        using var op = await fleet.AdminAsync();
        var target = fleet.TargetIds[1];
        var job = await fleet.JobAsync(op,
            [
                new { name = "flood", type = "command", script = "seq 1 3000" },
                new { name = "mixed", type = "command", script = "echo out1; echo err1 >&2; sleep 0.3; echo out2; echo 'ünï ‘q’ 🚀 \"x\"' >&2" },
            ],
            targets: new { targetIds = new[] { target } });
        var runId = await FleetFixture.StartAsync(op, job);
        var events = (await ReadAll(op, $"/api/v1/runs/{runId}/events")).Select(e => e.Typed).ToList();

        var flood = events.OfType<OutputChunk>().Where(o => o.Step == 0).ToList();
        Assert.True(flood.Count >= 3, $"3000 lines in {flood.Count} chunks");
        Assert.All(flood, o => Assert.InRange(o.Lines.Count, 1, 1000));
        AssertConsecutive(flood);
        var floodLines = flood.SelectMany(o => o.Lines).ToList();
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => i.ToString()), floodLines);
        var mixed = events.OfType<OutputChunk>().Where(o => o.Step == 1).ToList();
        AssertConsecutive(mixed);
        var mixedLines = mixed.SelectMany(o => o.Lines).ToList();

        var run = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs/{runId}"));
        AssertFoldEquals(events, run);
        var targetName = run.GetProperty("targets")[0].Str("targetName");

        using (var response = await op.GetAsync($"/api/v1/runs/{runId}/targets/{target}/output"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal($"attachment; filename=\"run-{runId}-{targetName}.log\"", response.Content.Headers.ContentDisposition?.ToString());
            Assert.Equal(string.Concat(floodLines.Concat(mixedLines).Select(l => l + "\n")), await response.Content.ReadAsStringAsync());
        }
        using (var response = await op.GetAsync($"/api/v1/runs/{runId}/targets/{target}/steps/1/output"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"attachment; filename=\"run-{runId}-{targetName}-step-1.log\"", response.Content.Headers.ContentDisposition?.ToString());
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(string.Concat(mixedLines.Select(l => l + "\n")), text);
            Assert.Contains("ünï ‘q’ 🚀 \"x\"\n", text);
        }
        foreach (var path in new[] { $"/api/v1/runs/999999/targets/{target}/output", $"/api/v1/runs/{runId}/targets/999999/output",
            $"/api/v1/runs/{runId}/targets/{target}/steps/2/output", $"/api/v1/runs/999999/targets/{target}/steps/0/output" })
        {
            using var response = await op.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var (viewer, _, _, _) = await fleet.UserAsync("viewer");
        using var _v = viewer;
        using var asViewer = await viewer.GetAsync($"/api/v1/runs/{runId}/targets/{target}/steps/0/output");
        Assert.Equal(HttpStatusCode.OK, asViewer.StatusCode);
        using var anonymous = fleet.Anonymous();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync($"/api/v1/runs/{runId}/targets/{target}/output"));
    }

    [Fact]
    public async Task A_retried_step_numbers_its_lines_again_and_shows_its_latest_attempt()
    {
        using var op = await fleet.AdminAsync();
        var flag = $"/tmp/opsc-retry-{Guid.NewGuid():N}";
        var target = fleet.TargetIds[2];
        var job = await fleet.JobAsync(op,
            [new { name = "flaky", type = "command", script = $"echo try; test -f {flag} || {{ touch {flag}; echo first fails >&2; exit 1; }}; echo ok", retries = 1 }],
            targets: new { targetIds = new[] { target } });
        var runId = await FleetFixture.StartAsync(op, job);
        var events = (await ReadAll(op, $"/api/v1/runs/{runId}/events")).Select(e => e.Typed).ToList();
        File.Delete(flag);

        var starts = events.OfType<StatusChanged>().Where(s => s is { Scope: RunScope.Step, Status: RunStatus.Running }).ToList();
        Assert.Equal(2, starts.Count);
        var second = events.OfType<OutputChunk>().Where(o => o.Id > starts[1].Id).ToList();
        Assert.Equal(1, second[0].FirstLine);
        AssertConsecutive(second);
        Assert.Equal(["try", "ok"], second.SelectMany(o => o.Lines));

        var run = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs/{runId}"));
        Assert.Equal("succeeded", run.Str("status"));
        AssertFoldEquals(events, run);
        using var download = await op.GetAsync($"/api/v1/runs/{runId}/targets/{target}/steps/0/output");
        Assert.Equal("try\nok\n", await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_document_of_a_running_run_holds_the_output_so_far_and_the_stream_goes_on_after_its_last_event()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "slow", type = "command", script = "echo first; echo oops >&2; sleep 1.5; echo second" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(op, job);
        var during = await FleetFixture.WaitAsync(op, runId, r => r.GetProperty("targets").GetArrayLength() == 1
            && r.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout") == "first"
            && r.GetProperty("targets")[0].GetProperty("steps")[0].Str("stderr") == "oops");
        Assert.Equal("running", during.GetProperty("targets")[0].GetProperty("steps")[0].Str("status"));
        var lastEventId = during.GetProperty("lastEventId").GetInt64();
        Assert.True(lastEventId > 0);

        // The document plus the events after its lastEventId is the whole run.
        var rest = (await ReadAll(op, $"/api/v1/runs/{runId}/events?after={lastEventId}")).Select(e => e.Typed).ToList();
        var all = (await ReadAll(op, $"/api/v1/runs/{runId}/events")).Select(e => e.Typed).ToList();
        Assert.Equal(all.Where(e => e.Id > lastEventId).Select(e => e.Id), rest.Where(e => e.Id != 0).Select(e => e.Id));
        var before = all.OfType<OutputChunk>().Where(o => o.Id <= lastEventId).ToList();
        Assert.Equal(["first"], before.Where(o => o.Stream == OutputStream.Stdout).SelectMany(o => o.Lines));
        Assert.Equal(["second"], rest.OfType<OutputChunk>().SelectMany(o => o.Lines));
        Assert.Equal(before.Sum(o => o.Lines.Count) + 1, rest.OfType<OutputChunk>().Single().FirstLine);
        AssertFoldEquals(all, await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs/{runId}")));
    }

    [Fact]
    public async Task A_run_that_waits_says_why_in_its_stream_when_the_reason_changes()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "hold", type = "command", script = "sleep 2" }],
            targets: new { targetIds = new[] { fleet.TargetIds[1] } }, allowConcurrentRuns: false);
        var first = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, first, r => r.Str("status") == "running");
        var second = await FleetFixture.StartAsync(op, job);

        var events = (await ReadAll(op, $"/api/v1/runs/{second}/events")).Select(e => e.Typed).ToList();
        var reasons = events.TakeWhile(e => e is RunQueued).Cast<RunQueued>().Select(q => q.WaitReason).ToList();
        Assert.Equal(2, reasons.Count); // queued, then the new reason once (the claims that follow find it unchanged)
        Assert.Contains("executor", reasons[0]);
        Assert.Contains($"Waiting for run {first} of this job to finish", reasons[1]);
        Assert.Equal((RunScope.Run, RunStatus.Running), events.OfType<StatusChanged>().Select(s => (s.Scope, s.Status)).First());
        Assert.Equal(RunStatus.Succeeded, Assert.IsType<StreamEnded>(events[^1]).Status);
    }

    [Fact]
    public async Task Events_of_an_unknown_run_are_a_404_and_need_a_token()
    {
        using var op = await fleet.AdminAsync();
        await op.ExpectAsync(HttpStatusCode.NotFound, op.GetAsync("/api/v1/runs/999999/events"));
        using var anonymous = fleet.Anonymous();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/runs/1/events"));
    }
}
