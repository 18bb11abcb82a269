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

    public async Task<IReadOnlyList<ScheduledRunResult>> StartAsync(IReadOnlyList<ScheduledRunRequest> batch, CancellationToken cancellationToken)
    {
        var results = new List<ScheduledRunResult>(batch.Count);
        if (batch.Count == 0)
        {
            return results;
        }
        var jobIds = batch.Select(r => r.JobId).Distinct().ToList();
        var jobs = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        foreach (var request in batch)
        {
            if (await ExistingAsync(request, cancellationToken) is { } existing)
            {
                results.Add(Started(request, existing));
                continue;
            }
            if (!jobs.TryGetValue(request.JobId, out var job))
            {
                results.Add(new ScheduledRunResult(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.JobMissing, null,
                    $"Job {request.JobId} was deleted."));
                continue;
            }
            var definition = JobCatalog.Definition(job);
            var errors = new ValidationErrors();
            var values = JobRules.ResolveParameters(definition, request.Parameters, errors);
            if (!errors.IsValid)
            {
                results.Add(new ScheduledRunResult(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.Refused, null,
                    "The job refused the schedule's parameters: " + string.Join(" ", errors.Messages)));
                continue;
            }
            try
            {
                var run = await enqueuer.EnqueueAsync(job, definition, values, RunTrigger.Schedule, $"schedule:{request.ScheduleName}", cancellationToken,
                    occurrence: new ScheduleOccurrence(request.ScheduleId, request.ScheduleName, request.ScheduledFor));
                results.Add(Started(request, run.Id));
            }
            catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
            {
                // Another scheduler process queued this occurrence meanwhile: its run is the one.
                db.ChangeTracker.Clear();
                results.Add(Started(request, await ExistingAsync(request, cancellationToken)
                    ?? throw new InvalidOperationException("The occurrence's run vanished after a unique violation.", ex)));
            }
        }
        return results;
    }

    public async Task<IReadOnlyDictionary<long, RunStatus>> RunStatusesAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        var ids = runIds.Distinct().ToList();
        return await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Status, cancellationToken);
    }

    Task<long?> ExistingAsync(ScheduledRunRequest request, CancellationToken ct) =>
        db.Runs.AsNoTracking().Where(r => r.ScheduleId == request.ScheduleId && r.ScheduledFor == request.ScheduledFor)
            .Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);

    static ScheduledRunResult Started(ScheduledRunRequest request, long runId) =>
        new(request.ScheduleId, request.ScheduledFor, ScheduledRunOutcome.Started, runId, null);
}
