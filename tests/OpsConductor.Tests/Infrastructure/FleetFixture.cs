using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>An all-in-one host (executor included) and three real sshd targets tagged with a fleet tag.</summary>
public class FleetFixture : HostFixture
{
    public List<SshServer> Servers { get; } = [];
    public string Tag { get; } = "fleet-" + Guid.NewGuid().ToString("N")[..6];
    public List<long> TargetIds { get; } = [];
    public long CredentialId { get; private set; }

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Executor__LeaseSeconds"] = "5",
        ["OpsConductor__Executor__OutputCapBytes"] = "20000",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < 3; i++)
        {
            Servers.Add(await SshServer.StartAsync());
        }
        using var admin = await AdminAsync();
        CredentialId = await Inventory.PasswordCredentialAsync(admin);
        foreach (var server in Servers)
        {
            TargetIds.Add(await Inventory.SshTargetAsync(admin, CredentialId, server.Port, tags: [Tag], hostKeyFingerprint: server.HostKeyFingerprint));
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>Creates a job on the fleet and returns its id.</summary>
    public async Task<long> JobAsync(ApiClient client, object[] steps, object[]? parameters = null, object? targets = null,
        bool allowConcurrentRuns = true, int retries = 0)
    {
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("job"),
            parameters = parameters ?? [],
            steps,
            targets = targets ?? new { tags = new[] { Tag } },
            allowConcurrentRuns,
            retries,
            retryBackoffSeconds = 0,
        }));
        return job.GetProperty("id").GetInt64();
    }

    public static async Task<long> StartAsync(ApiClient client, long jobId, object? parameters = null)
    {
        var run = await client.ExpectAsync(HttpStatusCode.Accepted, client.PostAsync($"/api/v1/jobs/{jobId}/runs", new { parameters = parameters ?? new { } }));
        return run.GetProperty("id").GetInt64();
    }

    /// <summary>Polls the run until its status is final (or the predicate holds).</summary>
    public static async Task<JsonElement> WaitAsync(ApiClient client, long runId, Func<JsonElement, bool>? until = null, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement run = default;
        while (DateTime.UtcNow < deadline)
        {
            run = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/runs/{runId}"));
            if (until?.Invoke(run) ?? run.Str("status") is "succeeded" or "failed" or "cancelled" or "timed_out")
            {
                return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"run {runId} did not get there in {seconds} s: {run}");
    }

    /// <summary>True while a process whose command line contains the text runs on this machine (the targets are local).</summary>
    public static bool ProcessRunning(string commandLineFragment)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", commandLineFragment]) { RedirectStandardOutput = true })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        var self = Environment.ProcessId.ToString();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Any(pid => pid != self);
    }
}
