using System.Text.Json;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Jobs;

/// <summary>
/// How a <see cref="RunStreamEvent"/> is stored in a <see cref="RunEvent"/> row and read back: <see cref="RunEvent.Kind"/> is
/// the event's kind, <see cref="RunEvent.Text"/> the record as JSON (discriminator included), <see cref="RunEvent.Id"/> and
/// <see cref="RunEvent.At"/> the event's <see cref="RunStreamEvent.Id"/> and <see cref="RunStreamEvent.At"/>.
/// <para>
/// Rows written before the typed events are read too, so an upgraded installation still replays its old runs: kind
/// <c>output</c> with <see cref="RunEvent.Stream"/> set and a raw line in Text (an <see cref="OutputChunk"/> of one line; its
/// line number is the reader's to set, see <see cref="RunEventStore"/>), kind <c>status</c> with a small JSON document (a
/// <see cref="StatusChanged"/>), kind <c>targets</c> with the resolved targets (a <see cref="TargetsResolved"/> without steps).
/// </para>
/// </summary>
public static class RunEventCodec
{
    /// <summary>
    /// The JSON of the stored events and of the SSE <c>data:</c> field: the API's own (camelCase, snake_case enums, nulls
    /// written), so an event reads exactly as the OpenAPI document describes it.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { HttpDefaults.EnumConverter } };

    /// <summary>Kind of the older status rows.</summary>
    public const string LegacyStatus = "status";

    /// <summary>Kind of the older rows listing the resolved targets.</summary>
    public const string LegacyTargets = "targets";

    /// <summary>
    /// The time to store for a change: truncated to the 0.1 ms both providers keep (SQLite's ticks converter), so the
    /// times in an event equal those in the rows it describes.
    /// </summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % 1000, TimeSpan.Zero);
    }

    public static RunEvent Encode(long runId, RunStreamEvent e) => new()
    {
        RunId = runId,
        Kind = e.Kind,
        TargetId = e switch
        {
            OutputChunk o => o.TargetId,
            StatusChanged s => s.TargetId,
            _ => null,
        },
        StepIndex = e switch
        {
            OutputChunk o => o.Step,
            StatusChanged s => s.Step,
            _ => null,
        },
        Text = JsonSerializer.Serialize(e, Json),
        At = e.At,
    };

    /// <summary>A row of the older format holding one raw output line.</summary>
    public static bool IsLegacyLine(RunEvent row) => row.Stream is not null && row.Kind == RunEventKinds.Output;

    /// <summary>
    /// The event a row holds, with the row's id and time; null for a row that is no event of its own (an older run-level
    /// output line, read with its run's <see cref="RunEventCodec.LegacyTargets"/> row) or that this version cannot read.
    /// A one-line chunk of the older format has <see cref="OutputChunk.FirstLine"/> 0 here.
    /// </summary>
    public static RunStreamEvent? Decode(RunEvent row)
    {
        try
        {
            var e = IsLegacyLine(row) ? DecodeLegacyLine(row)
                : row.Kind switch
                {
                    LegacyStatus => DecodeLegacyStatus(row),
                    LegacyTargets => DecodeLegacyTargets(row, []),
                    RunEventKinds.Queued or RunEventKinds.TargetsResolved or RunEventKinds.StatusChanged or RunEventKinds.Output =>
                        JsonSerializer.Deserialize<RunStreamEvent>(row.Text, Json),
                    _ => null,
                };
            return e is null ? null : e with { Id = row.Id, At = row.At };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static OutputChunk? DecodeLegacyLine(RunEvent row) =>
        row.TargetId is { } targetId ? new OutputChunk(targetId, row.StepIndex ?? 0, row.Stream!.Value, 0, [row.Text]) : null;

    sealed record LegacyStatusChange(RunScope Scope, RunStatus Status, int? ExitCode, string? Error);

    static StatusChanged DecodeLegacyStatus(RunEvent row)
    {
        var s = JsonSerializer.Deserialize<LegacyStatusChange>(row.Text, Json)!;
        var (error, attempt) = (s.Error, (int?)null);
        if (s.Scope == RunScope.Target && s.Status == RunStatus.Running)
        {
            // A target's start said "attempt N" in the error from the second attempt on.
            attempt = error is not null && error.StartsWith("attempt ", StringComparison.Ordinal) && int.TryParse(error[8..], out var n) ? n : 1;
            error = attempt > 1 ? null : error;
        }
        return new StatusChanged(s.Scope, row.TargetId, row.StepIndex, s.Status,
            s.Status == RunStatus.Running ? row.At : null, s.Status.IsFinal() ? row.At : null, s.ExitCode, error, attempt);
    }

    /// <summary>An older targets row, with the run-level output lines (the problems) written before it.</summary>
    public static TargetsResolved? DecodeLegacyTargets(RunEvent row, IReadOnlyList<string> problems)
    {
        try
        {
            var targets = JsonSerializer.Deserialize<List<RunTargetRecord>>(row.Text, Json)!;
            return new TargetsResolved(targets.Select(t => new ResolvedTarget(t.TargetId, t.TargetName, t.Hostname, [])).ToList(), problems)
            {
                Id = row.Id,
                At = row.At,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
