using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// What a run finds out shows where operators look: a target the run could not reach is unreachable (with the reason,
/// in its history) before the next health sweep, and the executor counts the run it is working on.
/// </summary>
public sealed class RunsTellTheTruthTests(RunsTellTheTruthTests.SlowHeartbeatFleet fleet) : IClassFixture<RunsTellTheTruthTests.SlowHeartbeatFleet>
{
    /// <summary>The fleet with a heartbeat far slower than the test: nothing here may wait for one.</summary>
    public sealed class SlowHeartbeatFleet : FleetFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["OpsConductor__Executor__HeartbeatSeconds"] = "20",
            ["OpsConductor__Executor__LeaseSeconds"] = "60",
        };
    }

    [Fact]
    public async Task A_run_that_cannot_reach_a_stopped_sshd_marks_the_target_unreachable_with_the_reason_in_its_history()
    {
        await using var server = await SshServer.StartAsync();
        using var op = await fleet.AdminAsync();
        var target = await Inventory.SshTargetAsync(op, fleet.CredentialId, server.Port, hostKeyFingerprint: server.HostKeyFingerprint);
        var check = await op.ExpectAsync(HttpStatusCode.OK, op.PostAsync($"/api/v1/targets/{target}/check"));
        Assert.Equal("healthy", check.Str("status"));
        server.Stop();

        var job = await fleet.JobAsync(op, [new { name = "noop", type = "command", script = "true" }], targets: new { targetIds = new[] { target } });
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        Assert.Equal("failed", run.Str("status"));
        var after = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("unreachable", after.Str("status"));
        Assert.NotEqual("", after.Str("lastError"));
        var history = (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}/status-history"))).GetProperty("items");
        Assert.Equal("unreachable", history[0].Str("status"));
        Assert.Equal("healthy", history[0].Str("previousStatus"));
        Assert.Equal(after.Str("lastError"), history[0].Str("error"));
        // What the dashboard's "failing targets" reads.
        var failing = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync("/api/v1/targets?status=unreachable&pageSize=100"));
        Assert.Contains(failing.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetInt64() == target);
        // The target's own run history lists the run.
        var runs = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/runs?targetId={target}"));
        Assert.Equal(run.GetProperty("id").GetInt64(), Assert.Single(runs.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_run_that_reaches_an_unreachable_target_again_marks_it_healthy_once_whatever_its_exit_code()
    {
        await using var server = await SshServer.StartAsync();
        using var op = await fleet.AdminAsync();
        var target = await Inventory.SshTargetAsync(op, fleet.CredentialId, server.Port, hostKeyFingerprint: server.HostKeyFingerprint);
        var job = await fleet.JobAsync(op, [new { name = "fails", type = "command", script = "exit 3" }], targets: new { targetIds = new[] { target } });
        server.Stop();
        Assert.Equal("failed", (await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job))).Str("status"));
        Assert.Equal("unreachable", (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}"))).Str("status"));

        await server.StartAgainAsync();
        var reached = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        // The step ran (and exited 3): the run connected, so the target is reachable again.
        Assert.Equal("failed", reached.Str("status"));
        Assert.Equal(3, reached.GetProperty("targets")[0].GetProperty("steps")[0].GetProperty("exitCode").GetInt32());
        var after = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("healthy", after.Str("status"));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("lastError").ValueKind);
        var history = (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}/status-history"))).GetProperty("items");
        Assert.Equal("healthy", history[0].Str("status"));
        Assert.Equal("unreachable", history[0].Str("previousStatus"));
        Assert.Equal($"Run #{reached.GetProperty("id").GetInt64()} reached it.", history[0].Str("error"));
        var changes = history.GetArrayLength();

        // Runs of a healthy target leave its history alone.
        await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));
        await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));
        var later = (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}/status-history"))).GetProperty("items");
        Assert.Equal(changes, later.GetArrayLength());
        Assert.Equal("healthy", (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}"))).Str("status"));
    }

    [Fact]
    public async Task A_run_refused_by_the_target_marks_it_auth_failed()
    {
        using var op = await fleet.AdminAsync();
        var wrong = await Inventory.PasswordCredentialAsync(op, password: "not-the-password");
        var server = fleet.Servers[1];
        var target = await Inventory.SshTargetAsync(op, wrong, server.Port, hostKeyFingerprint: server.HostKeyFingerprint);
        var job = await fleet.JobAsync(op, [new { name = "noop", type = "command", script = "true" }], targets: new { targetIds = new[] { target } });

        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job));

        Assert.Equal("failed", run.Str("status"));
        var after = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("auth_failed", after.Str("status"));
        var history = (await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync($"/api/v1/targets/{target}/status-history"))).GetProperty("items");
        Assert.Equal("auth_failed", Assert.Single(history.EnumerateArray()).Str("status"));
    }

    [Fact]
    public async Task The_executor_counts_a_running_run_before_its_next_heartbeat()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "long", type = "command", script = "sleep 3600" }],
            targets: new { targetIds = new[] { fleet.TargetIds[2] } });
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId, r => r.Str("status") == "running");

        var status = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync("/api/v1/executor/status"));

        var worker = Assert.Single(status.GetProperty("workers").EnumerateArray());
        Assert.Equal(1, worker.GetProperty("runningRuns").GetInt32());
        await op.ExpectAsync(HttpStatusCode.Accepted, op.PostAsync($"/api/v1/runs/{runId}/cancel"));
        Assert.Equal("cancelled", (await FleetFixture.WaitAsync(op, runId)).Str("status"));
        var idle = await op.ExpectAsync(HttpStatusCode.OK, op.GetAsync("/api/v1/executor/status"));
        Assert.Equal(0, idle.GetProperty("workers")[0].GetProperty("runningRuns").GetInt32());
    }
}
