using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>Jobs run for real on several sshd targets at once.</summary>
public sealed class RunExecutionTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task A_multi_step_job_runs_on_every_target_with_its_parameters()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [
                new { name = "greet", type = "command", script = "echo hello {{who}} && uname -s" },
                new { name = "script", type = "shell_script", script = "#!/bin/sh\necho \"from a script: $0\" | sed 's/opsc-step-.*/file/'\necho to-stderr >&2\n" },
            ],
            [new { name = "who", type = "string", required = true }]);
        var runId = await FleetFixture.StartAsync(op, job, new { who = "world" });

        var run = await FleetFixture.WaitAsync(op, runId);

        Assert.Equal("succeeded", run.Str("status"));
        var targets = run.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(3, targets.Count);
        Assert.All(targets, t =>
        {
            Assert.Equal("succeeded", t.Str("status"));
            var steps = t.GetProperty("steps");
            Assert.Equal("hello world\nLinux", steps[0].Str("stdout"));
            Assert.Equal(0, steps[0].GetProperty("exitCode").GetInt32());
            Assert.Equal("from a script: /tmp/file", steps[1].Str("stdout"));
            Assert.Equal("to-stderr", steps[1].Str("stderr"));
        });
    }

    [Fact]
    public async Task Hostile_parameter_values_cannot_inject_commands_on_the_target()
    {
        using var op = await fleet.AdminAsync();
        var marker = $"/tmp/opsc-injected-{Guid.NewGuid():N}";
        var job = await fleet.JobAsync(op, [new { name = "echo", type = "command", script = "printf '%s|' {{value}}" }],
            [new { name = "value", type = "string", required = true }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        foreach (var value in new[] { $"'; touch {marker}; echo '", $"$(touch {marker})", $"`touch {marker}`", $"a\ntouch {marker}", $"x && touch {marker}", "ünï ‘q’ 🚀" })
        {
            var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { value }));
            Assert.Equal("succeeded", run.Str("status"));
            Assert.Equal(value.Replace("\n", "\n") + "|", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
            Assert.False(File.Exists(marker), $"the value {value} ran a command");
        }
    }

    [Fact]
    public async Task Continue_on_error_goes_on_and_a_failing_step_stops_its_target()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [
                new { name = "may fail", type = "command", script = "echo trying; exit 3", continueOnError = true },
                new { name = "must pass", type = "command", script = "exit 7" },
                new { name = "never", type = "command", script = "echo unreachable" },
            ]);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        Assert.Equal("failed", run.Str("status"));
        var steps = run.GetProperty("targets")[0].GetProperty("steps");
        Assert.Equal("failed", steps[0].Str("status"));
        Assert.Equal(3, steps[0].GetProperty("exitCode").GetInt32());
        Assert.Equal("trying", steps[0].Str("stdout"));
        Assert.Equal("failed", steps[1].Str("status"));
        Assert.Equal(7, steps[1].GetProperty("exitCode").GetInt32());
        // Never started: skipped, with the reason, not "cancelled".
        Assert.Equal("skipped", steps[2].Str("status"));
        Assert.Equal("Not run: an earlier step failed.", steps[2].Str("error"));
        Assert.Equal("", steps[2].Str("stdout"));
    }

    [Fact]
    public async Task A_step_timeout_ends_the_step_timed_out_and_kills_the_remote_process()
    {
        using var op = await fleet.AdminAsync();
        var sleep = $"sleep 3{Random.Shared.Next(100, 999)}.5";
        var job = await fleet.JobAsync(op, [new { name = "slow", type = "command", script = $"echo start; {sleep}; echo never", timeoutSeconds = 2 }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        Assert.Equal("timed_out", run.Str("status"));
        var step = run.GetProperty("targets")[0].GetProperty("steps")[0];
        Assert.Equal("timed_out", step.Str("status"));
        Assert.Equal("start", step.Str("stdout"));
        await AssertGone(sleep);
    }

    [Fact]
    public async Task Cancel_stops_the_remote_processes_and_ends_the_run_cancelled()
    {
        using var op = await fleet.AdminAsync();
        var sleep = $"sleep 4{Random.Shared.Next(100, 999)}.5";
        var job = await fleet.JobAsync(op,
            [
                new { name = "long", type = "command", script = $"echo started; {sleep} & {sleep}; wait" },
                new { name = "after", type = "command", script = "echo never" },
            ]);
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId, r => r.GetProperty("targets").GetArrayLength() == 3
            && r.GetProperty("targets").EnumerateArray().All(t => t.GetProperty("steps")[0].Str("stdout") == "started"));
        Assert.True(FleetFixture.ProcessRunning(sleep), "the remote command should be running before the cancel");

        await op.ExpectAsync(HttpStatusCode.Accepted, op.PostAsync($"/api/v1/runs/{runId}/cancel"));
        var run = await FleetFixture.WaitAsync(op, runId);

        Assert.Equal("cancelled", run.Str("status"));
        // The run says who cancelled it, and the step after the cancelled one never ran.
        Assert.Equal("admin", run.Str("cancelledBy"));
        Assert.All(run.GetProperty("targets").EnumerateArray(), t => Assert.Equal("cancelled", t.Str("status")));
        Assert.All(run.GetProperty("targets").EnumerateArray(), t => Assert.Equal(("skipped", "Not run: the run was cancelled."),
            (t.GetProperty("steps")[1].Str("status"), t.GetProperty("steps")[1].Str("error"))));
        await AssertGone(sleep);
    }

    [Fact]
    public async Task Secrets_are_redacted_from_stored_output_and_logs()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [new { name = "leak", type = "command", script = $"echo password={SshServer.Password}; echo token={{{{token}}}}; echo token again {{{{token}}}} >&2" }],
            [new { name = "token", type = "secret", required = true }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { token = "tok-5ecret-value" }));

        var step = run.GetProperty("targets")[0].GetProperty("steps")[0];
        Assert.Equal("password=********\ntoken=********", step.Str("stdout"));
        Assert.Equal("token again ********", step.Str("stderr"));
        using var events = await op.GetAsync($"/api/v1/runs/{run.GetProperty("id").GetInt64()}/events");
        var stream = await events.Content.ReadAsStringAsync();
        Assert.Contains("token=********", stream);
        foreach (var text in new[] { stream, run.ToString(), fleet.Host.Output })
        {
            Assert.DoesNotContain("tok-5ecret-value", text);
            Assert.DoesNotContain(SshServer.Password, text);
        }
    }

    [Fact]
    public async Task Job_retries_rerun_the_failed_target_until_it_passes()
    {
        using var op = await fleet.AdminAsync();
        var flag = $"/tmp/opsc-flaky-{Guid.NewGuid():N}";
        var job = await fleet.JobAsync(op, [new { name = "flaky", type = "command", script = $"test -f {flag} || {{ touch {flag}; echo first try fails; exit 1; }}; echo ok" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } }, retries: 2);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        Assert.Equal("succeeded", run.Str("status"));
        var target = run.GetProperty("targets")[0];
        Assert.Equal(2, target.GetProperty("attempt").GetInt32());
        Assert.Equal("ok", target.GetProperty("steps")[0].Str("stdout"));
        File.Delete(flag);
    }

    [Fact]
    public async Task Rerun_of_failed_targets_runs_only_those_with_the_same_parameters()
    {
        using var op = await fleet.AdminAsync();
        var badCredential = await Inventory.PasswordCredentialAsync(op, password: "not-the-password");
        var broken = await Inventory.SshTargetAsync(op, badCredential, fleet.Servers[0].Port,
            hostKeyFingerprint: fleet.Servers[0].HostKeyFingerprint);
        var job = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo {{word}}" }],
            [new { name = "word", type = "string", required = true }],
            targets: new { targetIds = new[] { fleet.TargetIds[0], fleet.TargetIds[1], broken } });
        var first = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { word = "again" }));
        Assert.Equal("failed", first.Str("status"));
        var failed = first.GetProperty("targets").EnumerateArray().Single(t => t.Str("status") == "failed");
        Assert.Equal(broken, failed.GetProperty("targetId").GetInt64());
        Assert.Contains("Authentication", failed.Str("error"));

        var rerun = await op.ExpectAsync(HttpStatusCode.Accepted, op.PostAsync($"/api/v1/runs/{first.GetProperty("id").GetInt64()}/rerun", new { onlyFailed = true }));
        var second = await FleetFixture.WaitAsync(op, rerun.GetProperty("id").GetInt64());
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("rerunOf").GetInt64());
        Assert.Equal("again", second.GetProperty("parameters").Str("word"));
        Assert.Equal([broken], second.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("targetId").GetInt64()));
    }

    [Fact]
    public async Task A_job_that_forbids_overlap_queues_its_second_run_and_says_why()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "hold", type = "command", script = "sleep 2; echo done" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } }, allowConcurrentRuns: false);
        var first = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, first, r => r.Str("status") == "running");
        var second = await FleetFixture.StartAsync(op, job);

        var waiting = await FleetFixture.WaitAsync(op, second, r => r.Str("waitReason").Contains("overlapping"), seconds: 10);
        Assert.Equal("queued", waiting.Str("status"));
        Assert.Contains($"run {first}", waiting.Str("waitReason"));

        Assert.Equal("succeeded", (await FleetFixture.WaitAsync(op, first)).Str("status"));
        Assert.Equal("succeeded", (await FleetFixture.WaitAsync(op, second)).Str("status"));
    }

    [Fact]
    public async Task History_filters_by_job_and_status_and_the_executor_reports_itself()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "ok", type = "command", script = "true" }], targets: new { targetIds = new[] { fleet.TargetIds[1] } });
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await FleetFixture.StartAsync(op, job));
        }
        foreach (var id in ids)
        {
            await FleetFixture.WaitAsync(op, id);
        }
        var page = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?jobId={job}&status=succeeded&pageSize=2"));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(ids[2], page.GetProperty("items")[0].GetProperty("id").GetInt64());
        var none = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?jobId={job}&status=failed"));
        Assert.Equal(0, none.GetProperty("total").GetInt32());

        var status = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync("/api/v1/executor/status"));
        Assert.Single(status.GetProperty("workers").EnumerateArray());
    }

    [Fact]
    public async Task Non_utf8_output_is_kept_readable_big_output_is_capped_and_signals_are_reported()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op,
            [
                new { name = "latin1", type = "command", script = "printf 'caf\\351 ok\\n'", continueOnError = true },
                new { name = "flood", type = "command", script = "seq 1 100000", continueOnError = true },
                new { name = "signal", type = "command", script = "kill -KILL $$" },
            ],
            targets: new { targetIds = new[] { fleet.TargetIds[2] } });
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));
        var steps = run.GetProperty("targets")[0].GetProperty("steps");

        Assert.Equal("caf\uFFFD ok", steps[0].Str("stdout"));
        Assert.Equal("succeeded", steps[0].Str("status"));
        var flood = steps[1];
        Assert.Equal("succeeded", flood.Str("status"));
        Assert.True(flood.GetProperty("outputTruncated").GetBoolean());
        Assert.StartsWith("1\n2\n3\n", flood.Str("stdout"));
        Assert.EndsWith("[output truncated by OpsConductor: the step wrote more than the configured limit]", flood.Str("stdout"));
        Assert.True(flood.Str("stdout").Length < 25_000);
        Assert.Equal("failed", steps[2].Str("status"));
        Assert.Matches("signal KILL|exit code 137", steps[2].Str("error"));
    }

    static async Task AssertGone(string commandFragment)
    {
        for (var i = 0; i < 50 && FleetFixture.ProcessRunning(commandFragment); i++)
        {
            await Task.Delay(100);
        }
        Assert.False(FleetFixture.ProcessRunning(commandFragment), $"'{commandFragment}' still runs on the target");
    }
}
