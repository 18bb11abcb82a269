using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>
/// Writes what the executor reports into the run's rows and its event stream, inside the transaction of
/// <see cref="RunLedgerWriter"/>, which wakes the runs' readers after the commit.
/// </summary>
sealed class RunLedger(JobsDb db, TimeProvider clock) : IRunLedger
{
    /// <summary>Runs with new rows or events, to signal once committed.</summary>
    public HashSet<long> ChangedRuns { get; } = [];

    /// <summary>A run finished: a queued run of the same job may be claimable now.</summary>
    public bool RunsFinished { get; private set; }

    public async Task TargetsResolvedAsync(long runId, IReadOnlyList<RunTargetRecord> targets, IReadOnlyList<string> problems, CancellationToken ct)
    {
        var snapshot = await db.Runs.Where(r => r.Id == runId).Select(r => r.JobSnapshotJson).FirstAsync(ct);
        var steps = JsonSerializer.Deserialize<JobDefinition>(snapshot, JobJson.Options)!.Steps ?? [];
        foreach (var t in targets)
        {
            db.RunTargets.Add(new RunTarget { RunId = runId, TargetId = t.TargetId, TargetName = t.TargetName, Hostname = t.Hostname, Status = RunStatus.Queued });
            for (var i = 0; i < steps.Count; i++)
            {
                db.RunSteps.Add(new RunStep { RunId = runId, TargetId = t.TargetId, StepIndex = i, Name = steps[i].Name ?? $"step {i + 1}", Status = RunStatus.Queued });
            }
        }
        var now = clock.GetUtcNow();
        foreach (var problem in problems)
        {
            db.RunEvents.Add(new RunEvent { RunId = runId, Kind = RunEvents.Output, Stream = "stderr", Text = problem, At = now });
        }
        db.RunEvents.Add(new RunEvent
        {
            RunId = runId,
            Kind = "targets",
            Text = JsonSerializer.Serialize(targets, JobJson.Options),
            At = now,
        });
        await SaveAndSignal(runId, ct);
    }

    public async Task TargetStartedAsync(long runId, long targetId, int attempt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.RunTargets.Where(t => t.RunId == runId && t.TargetId == targetId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, RunStatus.Running).SetProperty(t => t.Attempt, attempt)
                .SetProperty(t => t.StartedAt, t => t.StartedAt ?? now).SetProperty(t => t.FinishedAt, (DateTimeOffset?)null)
                .SetProperty(t => t.Error, (string?)null), ct);
        if (attempt == 1)
        {
            await db.Runs.Where(r => r.Id == runId && !r.AnyTargetStarted).ExecuteUpdateAsync(s => s.SetProperty(r => r.AnyTargetStarted, true), ct);
        }
        db.RunEvents.Add(RunEvents.Status(runId, "target", targetId, null, RunStatus.Running, null, attempt > 1 ? $"attempt {attempt}" : null, now));
        await SaveAndSignal(runId, ct);
    }

    public async Task StepStartedAsync(long runId, long targetId, int stepIndex, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.StepIndex == stepIndex)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, RunStatus.Running).SetProperty(x => x.StartedAt, now)
                .SetProperty(x => x.FinishedAt, (DateTimeOffset?)null).SetProperty(x => x.ExitCode, (int?)null), ct);
        db.RunEvents.Add(RunEvents.Status(runId, "step", targetId, stepIndex, RunStatus.Running, null, null, now));
        await SaveAndSignal(runId, ct);
    }

    public async Task AppendOutputAsync(long runId, long targetId, int stepIndex, OutputStream stream, IReadOnlyList<string> lines, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var name = stream == OutputStream.Stderr ? "stderr" : "stdout";
        foreach (var line in lines)
        {
            db.RunEvents.Add(new RunEvent { RunId = runId, Kind = RunEvents.Output, TargetId = targetId, StepIndex = stepIndex, Stream = name, Text = line, At = now });
        }
        await SaveAndSignal(runId, ct);
    }

    public async Task StepFinishedAsync(long runId, long targetId, int stepIndex, StepResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.StepIndex == stepIndex)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, result.Status).SetProperty(x => x.FinishedAt, now)
                .SetProperty(x => x.ExitCode, result.ExitCode).SetProperty(x => x.Error, result.Error)
                .SetProperty(x => x.Stdout, result.Stdout).SetProperty(x => x.Stderr, result.Stderr)
                .SetProperty(x => x.OutputTruncated, result.OutputTruncated), ct);
        db.RunEvents.Add(RunEvents.Status(runId, "step", targetId, stepIndex, result.Status, result.ExitCode, result.Error, now));
        await SaveAndSignal(runId, ct);
    }

    public async Task TargetFinishedAsync(long runId, long targetId, RunStatus status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.RunTargets.Where(t => t.RunId == runId && t.TargetId == targetId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.FinishedAt, now).SetProperty(t => t.Error, error), ct);
        // Steps never reached on this target end as cancelled (skipped), so no step stays "queued".
        await db.RunSteps.Where(s => s.RunId == runId && s.TargetId == targetId && s.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, RunStatus.Cancelled).SetProperty(x => x.Error, "not run"), ct);
        db.RunEvents.Add(RunEvents.Status(runId, "target", targetId, null, status, null, error, now));
        await SaveAndSignal(runId, ct);
    }

    public async Task RunFinishedAsync(long runId, RunStatus status, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, error).SetProperty(r => r.LeaseOwner, (string?)null), ct);
        db.RunEvents.Add(RunEvents.Status(runId, "run", null, null, status, null, error, now));
        await SaveAndSignal(runId, ct);
        RunsFinished = true;
    }

    async Task SaveAndSignal(long runId, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        ChangedRuns.Add(runId);
    }
}
