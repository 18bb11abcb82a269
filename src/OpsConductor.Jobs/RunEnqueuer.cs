using System.Text.Json;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>What a re-run takes over from the run it repeats.</summary>
public sealed record RerunOf(long RunId, string SealedParameters, IReadOnlyList<long>? OnlyTargets);

/// <summary>The schedule occurrence a scheduled run is for.</summary>
public sealed record ScheduleOccurrence(long ScheduleId, string ScheduleName, DateTimeOffset ScheduledFor);

/// <summary>
/// Puts runs on the queue: the run row and its first event (<see cref="RunQueued"/>) in one transaction, then wakes the
/// executors. The job's definition is copied into the run, so later edits do not change a queued run.
/// </summary>
public sealed class RunEnqueuer(JobsDb db, RunParameterSeal seal, RunSignals signals, TimeProvider clock)
{
    public const string SecretMask = "********";
    public const string WaitingForExecutor = "Waiting for an executor to pick it up.";

    /// <param name="targetIds">Exactly these targets instead of the job's (a re-run's own list wins).</param>
    public async Task<RunDto> EnqueueAsync(Job job, JobDefinition definition, IReadOnlyDictionary<string, string> values, RunTrigger trigger,
        string requestedBy, CancellationToken ct, RerunOf? rerun = null, ScheduleOccurrence? occurrence = null, IReadOnlyList<long>? targetIds = null)
    {
        var run = NewRun(job, definition, JobSnapshot(definition), values, trigger, requestedBy, rerun, occurrence, targetIds);
        var queued = await EnqueueAsync([run], ct);
        return RunDocument.Build(run, [], [], RunDocument.NoLiveOutput, queued[0]);
    }

    /// <summary>
    /// Queues these runs (made by <see cref="NewRun"/>) in one transaction: all of them or, on an error such as a unique
    /// violation, none. Wakes the executors once. Returns the ids of their <see cref="RunQueued"/> events, in order.
    /// </summary>
    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<Run> runs, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(ct);
        var events = runs.Select(run => RunEventCodec.Encode(run.Id, new RunQueued(run.WaitReason) { At = run.QueuedAt })).ToList();
        db.RunEvents.AddRange(events);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signals.WorkArrived();
        return events.Select(e => e.Id).ToList();
    }

    public static string QueuedAhead(DateTimeOffset scheduledFor) =>
        $"Scheduled for {scheduledFor.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: an executor starts it then.";

    /// <summary>The job's definition as a run keeps it (computed once per job when many runs of it are queued).</summary>
    public static string JobSnapshot(JobDefinition definition) => JsonSerializer.Serialize(definition, JobJson.Options);

    /// <summary>A queued run of the job, not saved yet.</summary>
    public Run NewRun(Job job, JobDefinition definition, string jobSnapshot, IReadOnlyDictionary<string, string> values, RunTrigger trigger,
        string requestedBy, RerunOf? rerun = null, ScheduleOccurrence? occurrence = null, IReadOnlyList<long>? targetIds = null)
    {
        var secretNames = (definition.Parameters ?? []).Where(p => p.Type == ParameterType.Secret).Select(p => p.Name!).ToHashSet();
        var now = RunEventCodec.Now(clock);
        // A scheduled run queued ahead of its time (the scheduler's lookahead) joins the queue at that time: executors
        // leave it alone until then.
        var ahead = occurrence is { } o && o.ScheduledFor > now;
        var shown = values.ToDictionary(v => v.Key, v => secretNames.Contains(v.Key) ? SecretMask : v.Value);
        return new Run
        {
            JobId = job.Id,
            JobName = job.Name,
            Status = RunStatus.Queued,
            Trigger = trigger,
            RequestedBy = requestedBy,
            QueuedAt = ahead ? occurrence!.ScheduledFor : now,
            ParametersJson = JsonSerializer.Serialize(shown),
            SealedParameters = rerun?.SealedParameters ?? seal.Seal(values, values.Keys.Any(secretNames.Contains)),
            JobSnapshotJson = jobSnapshot,
            AllowConcurrentRuns = definition.AllowConcurrentRuns,
            TargetIdsOverrideJson = (rerun?.OnlyTargets ?? targetIds) is { } only ? JsonSerializer.Serialize(only) : null,
            RerunOf = rerun?.RunId,
            WaitReason = ahead ? QueuedAhead(occurrence!.ScheduledFor) : WaitingForExecutor,
            ScheduleId = occurrence?.ScheduleId,
            ScheduleName = occurrence?.ScheduleName,
            ScheduledFor = occurrence?.ScheduledFor,
        };
    }
}
