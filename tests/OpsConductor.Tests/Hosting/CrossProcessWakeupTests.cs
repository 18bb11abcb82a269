using System.Diagnostics;
using System.Net;
using Npgsql;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>
/// PostgreSQL LISTEN/NOTIFY between an API process and an executor process (PostgreSQL only, see
/// <see cref="PostgresFactAttribute"/>). Both safety-net polls are 30 s, so every wake-up within seconds came
/// through a notification.
/// </summary>
public sealed class CrossProcessWakeupTests(CrossProcessWakeupFixture fixture) : IClassFixture<CrossProcessWakeupFixture>
{
    static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    sealed record Line(string Data, TimeSpan At);

    [PostgresFact]
    public async Task A_run_queued_through_the_api_process_is_started_by_the_executor_process_at_once()
    {
        using var admin = await fixture.AdminAsync();
        var job = await fixture.JobAsync(admin, "echo woken");

        var clock = Stopwatch.StartNew();
        var runId = await FleetFixture.StartAsync(admin, job);
        var run = await FleetFixture.WaitAsync(admin, runId, seconds: 25);

        Assert.Equal("succeeded", run.Str("status"));
        Assert.True(clock.Elapsed < Prompt, $"the run took {clock.Elapsed} (the executor's poll is 30 s)");
        Assert.Contains(CrossProcessWakeupFixture.Listening, fixture.Executor.Output);
    }

    [PostgresFact]
    public async Task A_reader_on_the_api_process_sees_output_of_the_executor_process_while_the_run_runs()
    {
        using var admin = await fixture.AdminAsync();
        await AssertLiveAsync(admin);
    }

    [PostgresFact]
    public async Task Both_listeners_survive_their_connections_being_killed()
    {
        var apiBefore = Count(fixture.Api.Output);
        var executorBefore = Count(fixture.Executor.Output);
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()) AS killed", connection);
            Assert.Equal(2L, await kill.ExecuteScalarAsync()); // one listener per process
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((Count(fixture.Api.Output) == apiBefore || Count(fixture.Executor.Output) == executorBefore) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(Count(fixture.Api.Output) > apiBefore, "the API process did not listen again");
        Assert.True(Count(fixture.Executor.Output) > executorBefore, "the executor process did not listen again");

        // A run after the reconnection: the executor wakes at once and the API's reader sees its output live.
        using var admin = await fixture.AdminAsync();
        await AssertLiveAsync(admin);
    }

    static string Tail(string output) => output.Length > 6000 ? output[^6000..] : output;

    static int Count(string output) =>
        output.Split('\n').Count(l => l.Contains(CrossProcessWakeupFixture.ListeningAgain, StringComparison.Ordinal));

    /// <summary>Queues a run that prints, sleeps 3 s and prints again, and reads its events from the API process.</summary>
    async Task AssertLiveAsync(ApiClient admin)
    {
        var job = await fixture.JobAsync(admin, "echo wakeup-first; sleep 3; echo wakeup-second");
        var clock = Stopwatch.StartNew();
        var runId = await FleetFixture.StartAsync(admin, job);
        using var response = await admin.Http.GetAsync($"/api/v1/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25)); // below the 30 s poll
        var lines = new List<Line>();
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    lines.Add(new Line(line[6..], clock.Elapsed));
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"run {runId}: the stream did not end in 25 s; got {string.Join(" | ", lines)}\n"
                + $"API:\n{Tail(fixture.Api.Output)}\nexecutor:\n{Tail(fixture.Executor.Output)}");
        }
        var ended = clock.Elapsed;

        var first = lines.First(l => l.Data.Contains("wakeup-first", StringComparison.Ordinal));
        var second = lines.First(l => l.Data.Contains("wakeup-second", StringComparison.Ordinal));
        Assert.True(second.At - first.At > TimeSpan.FromSeconds(2), $"the lines arrived together: {first.At} and {second.At}");
        Assert.True(ended < Prompt, $"the stream ended after {ended} (the readers' poll is 30 s)");
    }
}
