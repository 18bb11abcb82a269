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
        var secretNames = (definition.Parameters ?? []).Where(p => p.Type == ParameterType.Secret).Select(p => p.Name!).ToHashSet();
        var shown = values.ToDictionary(v => v.Key, v => secretNames.Contains(v.Key) ? SecretMask : v.Value);
        var run = new Run
        {
            JobId = job.Id,
            JobName = job.Name,
            Status = RunStatus.Queued,
            Trigger = trigger,
            RequestedBy = requestedBy,
            QueuedAt = RunEventCodec.Now(clock),
            ParametersJson = JsonSerializer.Serialize(shown),
            SealedParameters = rerun?.SealedParameters ?? seal.Seal(values, values.Keys.Any(secretNames.Contains)),
            JobSnapshotJson = JsonSerializer.Serialize(definition, JobJson.Options),
            AllowConcurrentRuns = definition.AllowConcurrentRuns,
            TargetIdsOverrideJson = (rerun?.OnlyTargets ?? targetIds) is { } only ? JsonSerializer.Serialize(only) : null,
            RerunOf = rerun?.RunId,
            WaitReason = WaitingForExecutor,
            ScheduleId = occurrence?.ScheduleId,
            ScheduleName = occurrence?.ScheduleName,
            ScheduledFor = occurrence?.ScheduledFor,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
            var queued = RunEventCodec.Encode(run.Id, new RunQueued(run.WaitReason) { At = run.QueuedAt });
            db.RunEvents.Add(queued);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            signals.WorkArrived();
            return RunDocument.Build(run, [], [], RunDocument.NoLiveOutput, queued.Id);
        }
    }
}
