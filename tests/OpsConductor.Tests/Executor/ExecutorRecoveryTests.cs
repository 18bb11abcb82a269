using System.Diagnostics;
using System.Net;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Runs;

namespace OpsConductor.Tests.Executor;

/// <summary>A crash or restart loses no accepted run and leaves none stuck.</summary>
public sealed class ExecutorRecoveryTests
{
    const string WithoutExecutor = "auth,users,credentials,targets,jobs";

    static async Task<(ApiClient Client, long JobId)> Setup(HostProcess host, SshServer server, string script)
    {
        var client = host.Client();
        await client.LoginAsync("admin", HostProcess.AdminPassword);
        var credential = await Inventory.PasswordCredentialAsync(client);
        var target = await Inventory.SshTargetAsync(client, credential, server.Port, hostKeyFingerprint: server.HostKeyFingerprint);
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("recovery"),
            steps = new[] { new { name = "work", type = "command", script } },
            targets = new { targetIds = new[] { target } },
        }));
        return (client, job.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_run_whose_executor_is_killed_ends_failed_with_the_reason()
    {
        await using var server = await SshServer.StartAsync();
        var database = await TestDatabase.NewAsync();
        database["OpsConductor__Executor__LeaseSeconds"] = "3";
        var data = Directory.CreateTempSubdirectory("opsc-kill-").FullName;
        var sleep = $"sleep 5{Random.Shared.Next(100, 999)}.5";
        long runId;
        await using (var first = await HostProcess.StartAsync(database, dataDirectory: data))
        {
            var (client, job) = await Setup(first, server, $"echo started; {sleep}");
            runId = await FleetFixture.StartAsync(client, job);
            await FleetFixture.WaitAsync(client, runId, r => r.GetProperty("targets").GetArrayLength() == 1
                && r.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout") == "started");
            first.Kill(); // kill -9: no chance to clean up
        }

        await using var second = await HostProcess.StartAsync(database, dataDirectory: data);
        using var again = second.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);
        var run = await FleetFixture.WaitAsync(again, runId, seconds: 30);

        Assert.Equal("failed", run.Str("status"));
        Assert.Contains("stopped responding", run.Str("error"));
        Assert.Equal("failed", run.GetProperty("targets")[0].Str("status"));
        Process.Start("pkill", ["-f", sleep])?.WaitForExit();

        // The recovery's changes are events too: the stream still folds into the run, the lost step keeps what it streamed.
        var events = (await RunStreamClient.ReadAll(again, $"/api/v1/runs/{runId}/events")).Select(e => e.Typed).ToList();
        var lost = events.OfType<StatusChanged>().Where(s => s.Scope != RunScope.Run).TakeLast(2).ToList();
        Assert.Equal([(RunScope.Step, RunStatus.Failed, "executor lost"), (RunScope.Target, RunStatus.Failed, "executor lost")],
            lost.Select(s => (s.Scope, s.Status, s.Error!)));
        Assert.Equal(RunStatus.Failed, Assert.IsType<StreamEnded>(events[^1]).Status);
        Assert.Equal("started", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
        RunStreamClient.AssertFoldEquals(events, run);
    }

    [Fact]
    public async Task Queued_runs_survive_a_restart_and_run_when_an_executor_starts()
    {
        await using var server = await SshServer.StartAsync();
        var database = await TestDatabase.NewAsync();
        var data = Directory.CreateTempSubdirectory("opsc-resume-").FullName;
        var noExecutor = new Dictionary<string, string>(database) { ["OpsConductor__Services"] = WithoutExecutor };
        long runId;
        await using (var first = await HostProcess.StartAsync(noExecutor, dataDirectory: data))
        {
            var (client, job) = await Setup(first, server, "echo resumed");
            runId = await FleetFixture.StartAsync(client, job);
            var queued = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/runs/{runId}"));
            Assert.Equal("queued", queued.Str("status"));
            Assert.Contains("No executor", queued.Str("waitReason"));
            first.Kill();
        }

        await using var second = await HostProcess.StartAsync(database, dataDirectory: data);
        using var again = second.Client();
        await again.LoginAsync("admin", HostProcess.AdminPassword);
        var run = await FleetFixture.WaitAsync(again, runId, seconds: 30);
        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal("resumed", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
    }
}
