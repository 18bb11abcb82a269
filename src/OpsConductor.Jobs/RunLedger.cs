using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>
/// Writes what the executor reports into the run's rows and, in the same transaction, the events that describe the
/// change (so applying the events in order gives the rows), inside the transaction of <see cref="RunLedgerWriter"/>,
/// which wakes the runs' readers after the commit.
/// </summary>
sealed class RunLedger(JobsDb db, TimeProvider clock) : IRunLedger
{
    /// <summary>An output chunk holds at most this many lines...</summary>
    public const int MaxChunkLines = 1000;

    /// <summary>...and about this many bytes of text (a longer single line is a chunk of its own).</summary>
    public const int MaxChunkBytes = 256 * 1024;

    /// <summary>Runs with new rows or events, to signal once committed.</summary>
    public HashSet<long> ChangedRuns { get; } = [];

    /// <summary>A run finished: a queued run of the same job may be claimable now.</summary>
    public bool RunsFinished { get; private set; }

    void Add(long runId, RunStreamEvent e) => db.RunEvents.Add(RunEventCodec.Encode(runId, e));

    public async Task TargetsResolvedAsync(long runId, IReadOnlyList<RunTargetRecord> targets, IReadOnlyList<string> problems, CancellationToken ct)
    {
        var snapshot = await db.Runs.Where(r => r.Id == runId).Select(r => r.JobSnapshotJson).FirstAsync(ct);
        var steps = (JsonSerializer.Deserialize<JobDefinition>(snapshot, JobJson.Options)!.Steps ?? [])
            .Select((s, i) => new ResolvedStep(i, s.Name ?? $"step {i + 1}")).ToList();
        foreach (var t in targets)
        {
            db.RunTargets.Add(new RunTarget { RunId = runId, TargetId = t.TargetId, TargetName = t.TargetName, Hostname = t.Hostname, Status = RunStatus.Queued });
            foreach (var step in steps)
            {
                db.RunSteps.Add(new RunStep { RunId = runId, TargetId = t.TargetId, StepIndex = step.Index, Name = step.Name, Status = RunStatus.Queued });
            }
        }
        Add(runId, new TargetsResolved(targets.Select(t => new ResolvedTarget(t.TargetId, t.TargetName, t.Hostname, steps)).ToList(), problems)
        {
            At = RunEventCodec.Now(clock),
        });
        await SaveAndSignal(runId, ct);
    }

    public async Task TargetStartedAsync(long runId, long targetId, int attempt, CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        // A retried target keeps the time of its first start.
        var startedAt = await db.RunTargets.Where(t => t.RunId == runId && t.TargetId == targetId).Select(t => t.StartedAt).FirstOrDefaultAsync(ct) ?? now;
        await db.RunTargets.Where(t => t.RunId == runId && t.TargetId == targetId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, RunStatus.Running).SetProperty(t => t.Attempt, attempt)
                .SetProperty(t => t.StartedAt, startedAt).SetProperty(t => t.FinishedAt, (DateTimeOffset?)null)
                .SetProperty(t => t.Error, (string?)null), ct);
        if (attempt == 1)
        {
            await db.Runs.Where(r => r.Id == runId && !r.AnyTargetStarted).ExecuteUpdateAsync(s => s.SetProperty(r => r.AnyTargetStarted, true), ct);
        }
        Add(runId, new StatusChanged(RunScope.Target, targetId, null, RunStatus.Running, startedAt, null, null, null, attempt) { At = now });
        await SaveAndSignal(runId, ct);
    }

    public async Task StepStartedAsync(long runId, long targetId, int stepIndex, CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        // A step that starts again (a retry) starts from nothing: what it showed was its previous attempt's.
        await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.StepIndex == stepIndex)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, RunStatus.Running).SetProperty(x => x.StartedAt, now)
                .SetProperty(x => x.FinishedAt, (DateTimeOffset?)null).SetProperty(x => x.ExitCode, (int?)null)
                .SetProperty(x => x.Error, (string?)null).SetProperty(x => x.Stdout, "").SetProperty(x => x.Stderr, "")
                .SetProperty(x => x.OutputTruncated, false), ct);
        Add(runId, new StatusChanged(RunScope.Step, targetId, stepIndex, RunStatus.Running, now, null, null, null, null) { At = now });
        await SaveAndSignal(runId, ct);
    }

    public async Task AppendOutputAsync(long runId, long targetId, int stepIndex, OutputStream stream, long firstLine, IReadOnlyList<string> lines,
        CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        for (var start = 0; start < lines.Count;)
        {
            var (end, bytes) = (start, 0L);
            while (end < lines.Count && end - start < MaxChunkLines)
            {
                var size = Encoding.UTF8.GetByteCount(lines[end]) + 1;
                if (end > start && bytes + size > MaxChunkBytes)
                {
                    break;
                }
                bytes += size;
                end++;
            }
            var chunk = start == 0 && end == lines.Count ? lines : lines.Skip(start).Take(end - start).ToList();
            Add(runId, new OutputChunk(targetId, stepIndex, stream, firstLine + start, chunk) { At = now });
            start = end;
        }
        await SaveAndSignal(runId, ct);
    }

    public async Task StepFinishedAsync(long runId, long targetId, int stepIndex, StepResult result, CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        var step = db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.StepIndex == stepIndex);
        var startedAt = await step.Select(s => s.StartedAt).FirstOrDefaultAsync(ct);
        await step.ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, result.Status).SetProperty(x => x.FinishedAt, now)
            .SetProperty(x => x.ExitCode, result.ExitCode).SetProperty(x => x.Error, result.Error)
            .SetProperty(x => x.Stdout, result.Stdout).SetProperty(x => x.Stderr, result.Stderr)
            .SetProperty(x => x.OutputTruncated, result.OutputTruncated), ct);
        Add(runId, new StatusChanged(RunScope.Step, targetId, stepIndex, result.Status, startedAt, now, result.ExitCode, result.Error, null) { At = now });
        await SaveAndSignal(runId, ct);
    }

    public async Task TargetFinishedAsync(long runId, long targetId, RunStatus status, string? error, CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        var target = await db.RunTargets.AsNoTracking().Where(t => t.RunId == runId && t.TargetId == targetId)
            .Select(t => new { t.StartedAt, t.Attempt }).FirstOrDefaultAsync(ct);
        var open = await db.RunSteps.AsNoTracking().Where(s => s.RunId == runId && s.TargetId == targetId && (s.Status == RunStatus.Queued || s.Status == RunStatus.Running))
            .OrderBy(s => s.StepIndex).Select(s => new { s.StepIndex, s.Status, s.StartedAt }).ToListAsync(ct);
        // A step still running ended with its target (its connection broke): it ends as the target did, not "running" for ever.
        var brokenStatus = status == RunStatus.Succeeded ? RunStatus.Failed : status;
        var brokenError = error ?? "The target ended while the step ran.";
        if (open.Any(s => s.Status == RunStatus.Running))
        {
            await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.Status == RunStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, brokenStatus).SetProperty(x => x.FinishedAt, now).SetProperty(x => x.Error, brokenError), ct);
        }
        // Steps never reached on this target are skipped, with the reason, so no step stays "queued".
        var skipReason = SkipReason(status);
        await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, RunStatus.Skipped).SetProperty(x => x.Error, skipReason), ct);
        await db.RunTargets.Where(t => t.RunId == runId && t.TargetId == targetId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.FinishedAt, now).SetProperty(t => t.Error, error), ct);
        foreach (var s in open)
        {
            Add(runId, s.Status == RunStatus.Running
                ? new StatusChanged(RunScope.Step, targetId, s.StepIndex, brokenStatus, s.StartedAt, now, null, brokenError, null) { At = now }
                : new StatusChanged(RunScope.Step, targetId, s.StepIndex, RunStatus.Skipped, null, null, null, skipReason, null) { At = now });
        }
        Add(runId, new StatusChanged(RunScope.Target, targetId, null, status, target?.StartedAt, now, null, error, target?.Attempt ?? 0) { At = now });
        await SaveAndSignal(runId, ct);
    }

    /// <summary>Why the steps a target never reached were skipped, by how the target ended.</summary>
    static string SkipReason(RunStatus targetStatus) => targetStatus switch
    {
        RunStatus.Cancelled => "Not run: the run was cancelled.",
        RunStatus.TimedOut => "Not run: the run timed out.",
        RunStatus.Failed => "Not run: an earlier step failed.",
        _ => "Not run.",
    };

    public async Task RunFinishedAsync(long runId, RunStatus status, string? error, CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        var running = db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running);
        var startedAt = await running.Select(r => r.StartedAt).FirstOrDefaultAsync(ct);
        // Only a run still running: one the lease recovery failed meanwhile keeps that status, and gets no second final event.
        if (await running.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, error).SetProperty(r => r.LeaseOwner, (string?)null), ct) == 1)
        {
            Add(runId, new StatusChanged(RunScope.Run, null, null, status, startedAt, now, null, error, null) { At = now });
            // In the same transaction as the status: the notification of this change cannot be lost.
            db.RunOutbox.Add(RunOutboxRow.For(runId, status, now));
        }
        await SaveAndSignal(runId, ct);
        RunsFinished = true;
    }

    async Task SaveAndSignal(long runId, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        ChangedRuns.Add(runId);
    }
}
