using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Jobs;

/// <summary>The jobs side of <see cref="IScheduledRuns"/>: the same parameter rules as a manual run, and one run per occurrence.</summary>
public sealed class ScheduledRuns(JobsDb db, RunEnqueuer enqueuer) : IScheduledRuns
{
    public async Task<IReadOnlyDictionary<long, ScheduledJob>> FindJobsAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancellationToken)
    {
        var ids = jobIds.Distinct().ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)).ToListAsync(cancellationToken);
        return jobs.ToDictionary(j => j.Id, j => new ScheduledJob(j.Id, j.Name,
            (JobCatalog.Definition(j).Parameters ?? []).Where(p => p.Type == ParameterType.Secret).Select(p => p.Name!).ToList()));
    }

    public async Task<IReadOnlyDictionary<string, string[]>?> ValidateParametersAsync(long jobId, IReadOnlyDictionary<string, JsonElement>? values,
        CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return null;
        }
        var errors = new ValidationErrors();
        JobRules.ResolveParameters(JobCatalog.Definition(job), values, errors);
        return errors.ToDictionary();
    }

    /// <summary>
    /// One query for the occurrences that have a run already, then every new run of the batch in one transaction. When
    /// another scheduler process queued some of them meanwhile (a unique violation: nothing of the batch is saved), those
    /// answer the other process's run and the rest are queued one at a time.
    /// </summary>
    public async Task<IReadOnlyList<ScheduledRunResult>> StartAsync(IReadOnlyList<ScheduledRunRequest> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return [];
        }
        var jobIds = batch.Select(r => r.JobId).Distinct().ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        // Each job's definition and snapshot once per batch, not once per run.
        var definitions = jobs.ToDictionary(j => j.Key, j => JobCatalog.Definition(j.Value));
        var snapshots = definitions.ToDictionary(d => d.Key, d => RunEnqueuer.JobSnapshot(d.Value));
        var existing = await ExistingAsync(batch, cancellationToken);
        var results = new ScheduledRunResult?[batch.Count];
        var queued = new List<(int Index, ScheduledRunRequest Request, Run Run)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            if (existing.TryGetValue((request.ScheduleId, request.ScheduledFor), out var runId))
            {
                results[i] = Started(request, runId);
                continue;
            }
            if (!jobs.TryGetValue(request.JobId, out var job))
            {
                results[i] = new ScheduledRunResult(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.JobMissing, null,
                    $"Job {request.JobId} was deleted.");
                continue;
            }
            var errors = new ValidationErrors();
            var values = JobRules.ResolveParameters(definitions[job.Id], request.Parameters, errors);
            if (!errors.IsValid)
            {
                results[i] = new ScheduledRunResult(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.Refused, null,
                    "The job refused the schedule's parameters: " + string.Join(" ", errors.Messages));
                continue;
            }
            queued.Add((i, request, enqueuer.NewRun(job, definitions[job.Id], snapshots[job.Id], values, RunTrigger.Schedule,
                $"schedule:{request.ScheduleName}", occurrence: new ScheduleOccurrence(request.ScheduleId, request.ScheduleName, request.ScheduledFor))));
        }
        try
        {
            await enqueuer.EnqueueAsync(queued.Select(q => q.Run).ToList(), cancellationToken);
            foreach (var (index, request, run) in queued)
            {
                results[index] = Started(request, run.Id);
            }
        }
        catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
        {
            // Another scheduler process queued some of these meanwhile (nothing of the batch was saved): theirs are the
            // runs; the others one at a time.
            db.ChangeTracker.Clear();
            var theirs = await ExistingAsync(queued.Select(q => q.Request).ToList(), cancellationToken);
            foreach (var (index, request, run) in queued)
            {
                results[index] = theirs.TryGetValue((request.ScheduleId, request.ScheduledFor), out var runId) ? Started(request, runId)
                    : await StartOneAsync(request, run, cancellationToken);
            }
        }
        return results.Select(r => r!).ToList();
    }

    public async Task<IReadOnlyList<WithdrawnRun>> WithdrawAsync(IReadOnlyCollection<long>? scheduleIds, DateTimeOffset after,
        CancellationToken cancellationToken, IReadOnlyCollection<long>? runIds = null)
    {
        var ids = scheduleIds?.Distinct().ToList();
        var only = runIds?.Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ahead = db.Runs.Where(r => r.Status == RunStatus.Queued && r.ScheduleId != null && r.ScheduledFor > after);
        if (ids is not null)
        {
            ahead = ahead.Where(r => ids.Contains(r.ScheduleId!.Value));
        }
        if (only is not null)
        {
            ahead = ahead.Where(r => only.Contains(r.Id));
        }
        var runs = await ahead.Select(r => new { r.Id, ScheduleId = r.ScheduleId!.Value, ScheduledFor = r.ScheduledFor!.Value }).ToListAsync(cancellationToken);
        if (runs.Count == 0)
        {
            return [];
        }
        var found = runs.Select(r => r.Id).ToList();
        await db.Runs.Where(r => found.Contains(r.Id) && r.Status == RunStatus.Queued).ExecuteDeleteAsync(cancellationToken);
        // One that an executor claimed meanwhile (its time came) stays, and keeps its events.
        var started = (await db.Runs.Where(r => found.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        runs = runs.Where(r => !started.Contains(r.Id)).ToList();
        var deleted = runs.Select(r => r.Id).ToList();
        await db.RunEvents.Where(e => deleted.Contains(e.RunId)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return runs.Select(r => new WithdrawnRun(r.ScheduleId, r.ScheduledFor, r.Id)).ToList();
    }

    public async Task<IReadOnlyDictionary<long, RunStatus>> RunStatusesAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        var ids = runIds.Distinct().ToList();
        return await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Status, cancellationToken);
    }

    async Task<ScheduledRunResult> StartOneAsync(ScheduledRunRequest request, Run run, CancellationToken ct)
    {
        run.Id = 0; // the failed batch may have given it an id that its rollback took back
        try
        {
            await enqueuer.EnqueueAsync([run], ct);
            return Started(request, run.Id);
        }
        catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
        {
            db.ChangeTracker.Clear();
            var existing = await ExistingAsync([request], ct);
            return Started(request, existing.TryGetValue((request.ScheduleId, request.ScheduledFor), out var id) ? id
                : throw new InvalidOperationException("The occurrence's run vanished after a unique violation.", ex));
        }
    }

    /// <summary>The runs the batch's occurrences have already, by (schedule, scheduledFor): one range query.</summary>
    async Task<Dictionary<(long ScheduleId, DateTimeOffset ScheduledFor), long>> ExistingAsync(IReadOnlyList<ScheduledRunRequest> batch, CancellationToken ct)
    {
        var scheduleIds = batch.Select(r => r.ScheduleId).Distinct().ToList();
        var from = batch.Min(r => r.ScheduledFor);
        var to = batch.Max(r => r.ScheduledFor);
        var wanted = batch.Select(r => (r.ScheduleId, r.ScheduledFor)).ToHashSet();
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.ScheduleId != null && scheduleIds.Contains(r.ScheduleId.Value) && r.ScheduledFor >= from && r.ScheduledFor <= to)
            .Select(r => new { r.Id, ScheduleId = r.ScheduleId!.Value, ScheduledFor = r.ScheduledFor!.Value }).ToListAsync(ct);
        return rows.Where(r => wanted.Contains((r.ScheduleId, r.ScheduledFor))).ToDictionary(r => (r.ScheduleId, r.ScheduledFor), r => r.Id);
    }

    static ScheduledRunResult Started(ScheduledRunRequest request, long runId) =>
        new(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.Started, runId, null);
}
