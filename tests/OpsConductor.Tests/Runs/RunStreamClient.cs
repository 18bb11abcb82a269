using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Runs;

/// <summary>A client of GET /runs/{id}/events: reads the frames, parses them into the typed records, folds them.</summary>
public static class RunStreamClient
{
    public sealed record Sse(string? Id, string Event, string Data, TimeSpan At)
    {
        public RunStreamEvent Typed => JsonSerializer.Deserialize<RunStreamEvent>(Data, Json)!;
    }

    /// <summary>What a client does with the OpenAPI types: camelCase, snake_case enums.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    public static void AssertConsecutive(IReadOnlyList<OutputChunk> chunks)
    {
        var next = 1L;
        foreach (var chunk in chunks)
        {
            Assert.Equal(next, chunk.FirstLine);
            next += chunk.Lines.Count;
        }
    }

    /// <summary>Applies the events in order, as a client would, and compares the result with the run's document.</summary>
    public static void AssertFoldEquals(IReadOnlyList<RunStreamEvent> events, JsonElement run)
    {
        var fold = RunFold.Of(events);
        Assert.Equal(fold.Status, Enum.Parse<RunStatus>(run.Str("status").Replace("_", ""), ignoreCase: true));
        Assert.Equal(fold.StartedAt, Time(run, "startedAt"));
        Assert.Equal(fold.FinishedAt, Time(run, "finishedAt"));
        Assert.Equal(fold.Error, run.GetProperty("error").GetString());
        Assert.Equal(fold.LastId, run.GetProperty("lastEventId").GetInt64());
        var targets = run.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(fold.Targets.Keys.Order(), targets.Select(t => t.GetProperty("targetId").GetInt64()).Order());
        foreach (var t in targets)
        {
            var f = fold.Targets[t.GetProperty("targetId").GetInt64()];
            Assert.Equal((f.Name, f.Hostname, f.Status.ToString(), f.Attempt, f.StartedAt, f.FinishedAt, f.Error),
                (t.Str("targetName"), t.Str("hostname"), Pascal(t.Str("status")), t.GetProperty("attempt").GetInt32(), Time(t, "startedAt"),
                    Time(t, "finishedAt"), t.GetProperty("error").GetString()));
            var steps = t.GetProperty("steps").EnumerateArray().ToList();
            Assert.Equal(f.Steps.Keys, steps.Select(s => s.GetProperty("index").GetInt32()));
            foreach (var s in steps)
            {
                var fs = f.Steps[s.GetProperty("index").GetInt32()];
                var exit = s.GetProperty("exitCode");
                Assert.Equal((fs.Name, fs.Status.ToString(), fs.ExitCode, fs.Error, fs.StartedAt, fs.FinishedAt, fs.Text(OutputStream.Stdout), fs.Text(OutputStream.Stderr)),
                    (s.Str("name"), Pascal(s.Str("status")), exit.ValueKind == JsonValueKind.Null ? null : exit.GetInt32(), s.GetProperty("error").GetString(),
                        Time(s, "startedAt"), Time(s, "finishedAt"), s.Str("stdout"), s.Str("stderr")));
            }
        }
    }

    static string Pascal(string snake) => string.Concat(snake.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    static DateTimeOffset? Time(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: not JsonValueKind.Null } value ? value.GetDateTimeOffset() : null;

    public static async Task<List<Sse>> ReadAll(ApiClient client, string path)
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


/// <summary>A run as its events describe it: what a client folds the stream into.</summary>
public sealed class RunFold
{
    public RunStatus Status { get; private set; } = RunStatus.Queued;
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Error { get; private set; }
    public string? WaitReason { get; private set; }
    public long LastId { get; private set; }
    public Dictionary<long, TargetFold> Targets { get; private set; } = [];

    public sealed class TargetFold(string name, string hostname, IEnumerable<ResolvedStep> steps)
    {
        public string Name => name;
        public string Hostname => hostname;
        public RunStatus Status { get; set; } = RunStatus.Queued;
        public int Attempt { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public string? Error { get; set; }
        public SortedDictionary<int, StepFold> Steps { get; } = new(steps.ToDictionary(s => s.Index, s => new StepFold(s.Name)));
    }

    public sealed class StepFold(string name)
    {
        public string Name => name;
        public RunStatus Status { get; set; } = RunStatus.Queued;
        public int? ExitCode { get; set; }
        public string? Error { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public List<(OutputStream Stream, string Line)> Lines { get; } = [];

        /// <summary>One stream's lines as a step's stored output: joined, without trailing newlines.</summary>
        public string Text(OutputStream stream) => string.Join("\n", Lines.Where(l => l.Stream == stream).Select(l => l.Line)).TrimEnd('\n');
    }

    public static RunFold Of(IEnumerable<RunStreamEvent> events)
    {
        var fold = new RunFold();
        foreach (var e in events)
        {
            fold.Apply(e);
        }
        return fold;
    }

    public void Apply(RunStreamEvent e)
    {
        LastId = Math.Max(LastId, e.Id);
        switch (e)
        {
            case RunQueued q:
                WaitReason = q.WaitReason;
                break;
            case TargetsResolved r:
                Targets = r.Targets.ToDictionary(t => t.TargetId, t => new TargetFold(t.TargetName, t.Hostname, t.Steps));
                break;
            case StatusChanged { Scope: RunScope.Run } s:
                (Status, StartedAt, FinishedAt, Error) = (s.Status, s.StartedAt, s.FinishedAt, s.Error);
                if (s.Status == RunStatus.Queued)
                {
                    Targets = [];
                }
                break;
            case StatusChanged { Scope: RunScope.Target } s:
                var t = Targets[s.TargetId!.Value];
                (t.Status, t.StartedAt, t.FinishedAt, t.Error, t.Attempt) = (s.Status, s.StartedAt, s.FinishedAt, s.Error, s.Attempt ?? t.Attempt);
                break;
            case StatusChanged { Scope: RunScope.Step } s:
                var step = Targets[s.TargetId!.Value].Steps[s.Step!.Value];
                (step.Status, step.ExitCode, step.Error, step.StartedAt, step.FinishedAt) = (s.Status, s.ExitCode, s.Error, s.StartedAt, s.FinishedAt);
                if (s.Status == RunStatus.Running)
                {
                    step.Lines.Clear();
                }
                break;
            case OutputChunk o:
                var lines = Targets[o.TargetId].Steps[o.Step].Lines;
                Assert.Equal(lines.Count + 1, o.FirstLine);
                lines.AddRange(o.Lines.Select(l => (o.Stream, l)));
                break;
        }
    }
}
