using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>
/// Reads one run's events in order, a page at a time, as typed records (<see cref="RunEventCodec"/>). One reader per
/// stream: it remembers what the older one-line rows need to read like the typed ones (their line numbers; consecutive
/// lines of one step and stream are merged into one chunk whose id is that of its last line, so resuming after it is exact).
/// </summary>
public sealed class RunEventStore(JobsDb db, long runId)
{
    public const int DefaultPageSize = 500;
    const int MaxMergedLines = 1000;

    /// <summary>Next line number per step of the older rows' lines; a step's status event starts it again at 1.</summary>
    readonly Dictionary<(long TargetId, int Step), long> _nextLine = [];
    bool _fromStart;
    bool _started;

    /// <summary>What a page gave: the events, and the id of the last row read (skipped rows included) to read on after.</summary>
    public sealed record Page(IReadOnlyList<RunStreamEvent> Events, long LastRowId, bool Full);

    public async Task<Page> ReadAsync(long afterId, CancellationToken ct, int pageSize = DefaultPageSize)
    {
        if (!_started)
        {
            (_started, _fromStart) = (true, afterId == 0);
        }
        var rows = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId && e.Id > afterId).OrderBy(e => e.Id).Take(pageSize).ToListAsync(ct);
        var events = new List<RunStreamEvent>(rows.Count);
        OutputChunk? open = null; // the last event, while it is a merge of older one-line rows
        List<string>? openLines = null;

        void Close()
        {
            if (open is not null)
            {
                events.Add(open with { Lines = openLines! });
                (open, openLines) = (null, null);
            }
        }

        foreach (var row in rows)
        {
            if (RunEventCodec.IsLegacyLine(row))
            {
                if (RunEventCodec.Decode(row) is not OutputChunk line)
                {
                    continue; // a run-level line: one of the problems of the next targets row
                }
                var key = (line.TargetId, line.Step);
                if (open is not null && (open.TargetId, open.Step, open.Stream) == (line.TargetId, line.Step, line.Stream) && openLines!.Count < MaxMergedLines)
                {
                    openLines.Add(line.Lines[0]);
                    open = open with { Id = line.Id, At = line.At };
                }
                else
                {
                    Close();
                    (open, openLines) = (line with { FirstLine = await NextLineAsync(key, row.Id, ct) }, [line.Lines[0]]);
                }
                _nextLine[key] = open.FirstLine + openLines.Count;
                continue;
            }
            Close();
            var e = row.Kind == RunEventCodec.LegacyTargets
                ? RunEventCodec.DecodeLegacyTargets(row, await LegacyProblemsAsync(row.Id, ct))
                : RunEventCodec.Decode(row);
            if (e is StatusChanged { Scope: RunScope.Step, TargetId: { } t, Step: { } s })
            {
                _nextLine[(t, s)] = 1;
            }
            if (e is not null)
            {
                events.Add(e);
            }
        }
        Close();
        return new Page(events, rows.Count > 0 ? rows[^1].Id : afterId, rows.Count == pageSize);
    }

    /// <summary>
    /// The number of an older row's line: known once this reader saw the step's start (or read from the run's start);
    /// otherwise counted: the lines of the step after its last status row (its start).
    /// </summary>
    async Task<long> NextLineAsync((long TargetId, int Step) key, long rowId, CancellationToken ct)
    {
        if (_nextLine.TryGetValue(key, out var next))
        {
            return next;
        }
        if (_fromStart)
        {
            return 1;
        }
        var (targetId, step) = key;
        var started = await db.RunEvents.Where(e => e.RunId == runId && e.Kind == RunEventCodec.LegacyStatus && e.TargetId == targetId
            && e.StepIndex == step && e.Id < rowId).MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var before = await db.RunEvents.CountAsync(e => e.RunId == runId && e.Kind == RunEventKinds.Output && e.Stream != null
            && e.TargetId == targetId && e.StepIndex == step && e.Id > started && e.Id < rowId, ct);
        return before + 1;
    }

    /// <summary>The older format wrote a run's problems as run-level stderr lines just before its targets row.</summary>
    async Task<IReadOnlyList<string>> LegacyProblemsAsync(long targetsRowId, CancellationToken ct)
    {
        var previous = await db.RunEvents.Where(e => e.RunId == runId && e.Kind == RunEventCodec.LegacyTargets && e.Id < targetsRowId)
            .MaxAsync(e => (long?)e.Id, ct) ?? 0;
        return await db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == runId && e.Kind == RunEventKinds.Output && e.Stream != null && e.TargetId == null && e.Id > previous && e.Id < targetsRowId)
            .OrderBy(e => e.Id).Select(e => e.Text).ToListAsync(ct);
    }
}
