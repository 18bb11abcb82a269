using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>GET /runs/{id}/events: live while the run runs, replayed for late subscribers, ending with the final status.</summary>
public sealed class LiveEventsTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    sealed record Sse(string? Id, string Event, string Data, TimeSpan At);

    [Fact]
    public async Task Output_streams_while_the_command_runs_in_order_and_ends_with_the_status()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "count", type = "command", script = "for i in 1 2 3 4 5; do echo line$i; sleep 0.4; done" }],
            targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(op, job);

        var events = await ReadAll(op, $"/api/v1/runs/{runId}/events");

        var lines = events.Where(e => e.Event == "output").ToList();
        Assert.Equal(["line1", "line2", "line3", "line4", "line5"], lines.Select(e => JsonDocument.Parse(e.Data).RootElement.Str("line")));
        var end = events.Last();
        Assert.Equal("end", end.Event);
        Assert.Equal("succeeded", JsonDocument.Parse(end.Data).RootElement.Str("status"));
        // Live, not at the end: the first line arrived well before the last one (the command sleeps 0.4 s between lines).
        Assert.True(lines[^1].At - lines[0].At > TimeSpan.FromSeconds(1), $"lines arrived together: {lines[0].At} .. {lines[^1].At}");
        var ids = events.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!)).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task A_late_subscriber_gets_everything_from_the_start_and_can_resume_from_an_event_id()
    {
        using var op = await fleet.AdminAsync();
        var job = await fleet.JobAsync(op, [new { name = "say", type = "command", script = "echo one; echo two >&2; echo three" }]);
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId);

        var replay = await ReadAll(op, $"/api/v1/runs/{runId}/events");
        var output = replay.Where(e => e.Event == "output").Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal(9, output.Count); // three lines on each of three targets
        Assert.Contains(output, o => o.Str("stream") == "stderr" && o.Str("line") == "two");
        Assert.Contains(replay, e => e.Event == "targets");
        Assert.Contains(replay, e => e.Event == "status" && e.Data.Contains("\"scope\":\"run\"") && e.Data.Contains("succeeded"));
        Assert.Equal("end", replay[^1].Event);

        var middle = replay.First(e => e.Event == "output").Id!;
        op.Http.DefaultRequestHeaders.Add("Last-Event-ID", middle);
        var resumed = await ReadAll(op, $"/api/v1/runs/{runId}/events");
        op.Http.DefaultRequestHeaders.Remove("Last-Event-ID");
        Assert.Equal(replay.SkipWhile(e => e.Id != middle).Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_of_an_unknown_run_are_a_404_and_need_a_token()
    {
        using var op = await fleet.AdminAsync();
        await op.ExpectAsync(HttpStatusCode.NotFound, op.GetAsync("/api/v1/runs/999999/events"));
        using var anonymous = fleet.Anonymous();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/runs/1/events"));
    }

    static async Task<List<Sse>> ReadAll(ApiClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<Sse>();
        string? id = null, kind = null, data = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (kind is not null)
                {
                    events.Add(new Sse(id, kind, data ?? "", clock.Elapsed));
                }
                (id, kind, data) = (null, null, null);
                continue;
            }
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
        return events;
    }
}
