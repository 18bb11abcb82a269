using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

public sealed record RunQueueOptions(TimeSpan Lease);

/// <summary>
/// The run queue in the database. A claim moves a run from queued to running only if it is still
/// queued (on PostgreSQL the candidates are picked with FOR UPDATE SKIP LOCKED), and sets a lease
/// that the claiming worker's heartbeat renews; a lapsed lease is recovered, never left running.
/// </summary>
sealed class RunQueue(JobsDb db, RunSignals signals, RunParameterSeal seal, RunQueueOptions options, TimeProvider clock) : IRunQueue
{
    static readonly RunStatus[] Unfinished = Enum.GetValues<RunStatus>().Where(s => !s.IsFinal()).ToArray();

    public async Task RegisterWorkerAsync(WorkerInfo worker, CancellationToken ct)
    {
        var existing = await db.Workers.FirstOrDefaultAsync(w => w.Id == worker.Id, ct);
        if (existing is null)
        {
            db.Workers.Add(new ExecutorWorker
            {
                Id = worker.Id,
                Host = worker.Host,
                StartedAt = worker.StartedAt,
                LastHeartbeat = clock.GetUtcNow(),
                Capacity = worker.Capacity,
            });
        }
        else
        {
            existing.LastHeartbeat = clock.GetUtcNow();
            existing.Capacity = worker.Capacity;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyCollection<long>> HeartbeatAsync(string workerId, IReadOnlyCollection<long> runningRunIds, int capacity, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Workers.Where(w => w.Id == workerId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastHeartbeat, now).SetProperty(w => w.RunningRuns, runningRunIds.Count)
                .SetProperty(w => w.Capacity, capacity), ct);
        if (runningRunIds.Count == 0)
        {
            return [];
        }
        var leaseEnd = now + options.Lease;
        await db.Runs.Where(r => runningRunIds.Contains(r.Id) && r.LeaseOwner == workerId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, leaseEnd), ct);
        return await db.Runs.Where(r => runningRunIds.Contains(r.Id) && r.CancelRequested).Select(r => r.Id).ToListAsync(ct);
    }

    public Task UnregisterWorkerAsync(string workerId, CancellationToken ct) =>
        db.Workers.Where(w => w.Id == workerId).ExecuteDeleteAsync(ct);

    public async Task<IReadOnlyList<ClaimedRun>> ClaimAsync(string workerId, int max, CancellationToken ct)
    {
        signals.ClaimStarting();
        // One transaction for the whole claim: claiming 100 runs was 100 commits (each a WAL sync on SQLite) and
        // contended with the ledger's writes. On PostgreSQL it starts before the candidates are picked, which stay
        // locked (SKIP LOCKED) until the commit; on SQLite (where it takes the write lock) only once there are candidates.
        await using var pgTransaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(ct) : null;
        var candidates = await Candidates(Math.Max(max, 0) * 2 + 20, ct);
        if (candidates.Count == 0)
        {
            return [];
        }
        await using var sqliteTransaction = pgTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var exclusiveJobs = candidates.Where(c => !c.AllowConcurrentRuns).Select(c => c.JobId).Distinct().ToList();
        var busy = exclusiveJobs.Count == 0 ? [] : (await db.Runs
            .Where(r => r.Status == RunStatus.Running && exclusiveJobs.Contains(r.JobId))
            .Select(r => new { r.JobId, r.Id }).ToListAsync(ct))
            .GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Min(r => r.Id));

        var claimedIds = new List<long>();
        var claimedAt = new Dictionary<long, DateTimeOffset>();
        var waiting = new Dictionary<string, List<long>>();
        void Wait(string reason, long id)
        {
            if (!waiting.TryGetValue(reason, out var list))
            {
                waiting[reason] = list = [];
            }
            list.Add(id);
        }

        foreach (var c in candidates)
        {
            if (!c.AllowConcurrentRuns && busy.TryGetValue(c.JobId, out var blocker))
            {
                Wait($"Waiting for run {blocker} of this job to finish: the job does not allow overlapping runs.", c.Id);
                continue;
            }
            if (claimedIds.Count >= max)
            {
                Wait("Waiting for a free executor slot: the executors are running as many runs as they are configured for.", c.Id);
                continue;
            }
            var now = RunEventCodec.Now(clock);
            var leaseEnd = now + options.Lease;
            var claimed = await db.Runs.Where(r => r.Id == c.Id && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.LeaseOwner, workerId)
                    .SetProperty(r => r.LeaseExpiresAt, leaseEnd)
                    .SetProperty(r => r.StartedAt, now)
                    .SetProperty(r => r.WaitReason, (string?)null), ct);
            if (claimed == 1)
            {
                claimedIds.Add(c.Id);
                claimedAt[c.Id] = now;
                if (!c.AllowConcurrentRuns)
                {
                    busy[c.JobId] = c.Id;
                }
            }
        }
        // A run that waits for another reason now says so, in its row and in its stream (only when the reason changed).
        var explained = new List<long>();
        var explainedAt = RunEventCodec.Now(clock);
        foreach (var (reason, ids) in waiting)
        {
            var changed = await db.Runs.Where(r => ids.Contains(r.Id) && r.Status == RunStatus.Queued && r.WaitReason != reason)
                .Select(r => r.Id).ToListAsync(ct);
            if (changed.Count == 0)
            {
                continue;
            }
            await db.Runs.Where(r => changed.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.WaitReason, reason), ct);
            foreach (var id in changed.Order())
            {
                db.RunEvents.Add(RunEventCodec.Encode(id, new RunQueued(reason) { At = explainedAt }));
            }
            explained.AddRange(changed);
        }

        var result = new List<ClaimedRun>();
        if (claimedIds.Count > 0)
        {
            var runs = await db.Runs.AsNoTracking().Where(r => claimedIds.Contains(r.Id)).ToListAsync(ct);
            foreach (var run in runs.OrderBy(r => r.Id))
            {
                var startedAt = claimedAt[run.Id];
                db.RunEvents.Add(RunEventCodec.Encode(run.Id,
                    new StatusChanged(RunScope.Run, null, null, RunStatus.Running, startedAt, null, null, null, null) { At = startedAt }));
                db.RunOutbox.Add(RunOutboxRow.For(run.Id, RunStatus.Running, startedAt));
                result.Add(ToClaim(run));
            }
        }
        await db.SaveChangesAsync(ct);
        await db.Database.CommitTransactionAsync(ct);
        foreach (var id in claimedIds.Concat(explained))
        {
            signals.RunChanged(id);
        }
        return result;
    }

    /// <summary>Queued runs that may start now, oldest first: not those the scheduler queued ahead of their time.</summary>
    async Task<List<Candidate>> Candidates(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (db.Database.IsNpgsql())
        {
            // Skip rows another executor is claiming right now instead of waiting for its lock (held until the claim commits).
            var ids = await db.Database.SqlQuery<long>($"""
                SELECT "Id" AS "Value" FROM job_runs WHERE "Status" = 'queued' AND ("ScheduledFor" IS NULL OR "ScheduledFor" <= {now})
                ORDER BY "Id" LIMIT {limit} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            var rows = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id))
                .Select(r => new Candidate(r.Id, r.JobId, r.AllowConcurrentRuns)).ToListAsync(ct);
            return rows.OrderBy(r => r.Id).ToList();
        }
        return await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued && (r.ScheduledFor == null || r.ScheduledFor <= now))
            .OrderBy(r => r.Id).Take(limit).Select(r => new Candidate(r.Id, r.JobId, r.AllowConcurrentRuns)).ToListAsync(ct);
    }

    sealed record Candidate(long Id, long JobId, bool AllowConcurrentRuns);

    ClaimedRun ToClaim(Run run)
    {
        var job = JsonSerializer.Deserialize<JobDefinition>(run.JobSnapshotJson, JobJson.Options)!;
        var values = seal.Unseal(run.SealedParameters);
        var steps = (job.Steps ?? []).Select((s, i) => new StepPlan(i, s.Name!, s.Type!.Value, s.Script!, s.TimeoutSeconds, s.ContinueOnError, s.Retries)).ToList();
        var targetIds = run.TargetIdsOverrideJson is { } overrideJson
            ? JsonSerializer.Deserialize<List<long>>(overrideJson)!
            : (job.Targets?.TargetIds ?? []).ToList();
        var tags = run.TargetIdsOverrideJson is null ? (job.Targets?.Tags ?? []).ToList() : [];
        var secretNames = (job.Parameters ?? []).Where(p => p.Type == ParameterType.Secret).Select(p => p.Name!).ToList();
        return new ClaimedRun(run.Id, run.JobId, run.JobName, run.RequestedBy, steps, values, secretNames, targetIds, tags,
            job.MaxParallelTargets ?? 50, job.Retries, job.RetryBackoffSeconds);
    }

    /// <summary>Until work arrives, the timeout passes, or the earliest run queued ahead of its time is due.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ahead = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued && r.ScheduledFor > now)
            .MinAsync(r => r.ScheduledFor, ct);
        if (ahead - now is { } untilDue && untilDue < timeout)
        {
            timeout = untilDue;
        }
        await signals.WaitForWorkAsync(timeout, ct);
    }

    public async Task<int> RecoverExpiredLeasesAsync(CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        var expired = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
            .Select(r => new { r.Id, r.AnyTargetStarted, r.LeaseOwner, r.StartedAt }).ToListAsync(ct);
        var recovered = 0;
        foreach (var run in expired)
        {
            // One transaction per run: readers never see a failed run with targets still running.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            int changed;
            if (!run.AnyTargetStarted)
            {
                const string reason = "Re-queued: the executor that claimed it stopped before starting anything.";
                changed = await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Queued).SetProperty(r => r.LeaseOwner, (string?)null)
                        .SetProperty(r => r.StartedAt, (DateTimeOffset?)null)
                        .SetProperty(r => r.WaitReason, reason), ct);
                if (changed == 1)
                {
                    await db.RunTargets.Where(t => t.RunId == run.Id).ExecuteDeleteAsync(ct);
                    await db.RunSteps.Where(t => t.RunId == run.Id).ExecuteDeleteAsync(ct);
                    // Back to queued: a reader drops the run's targets until they are resolved again.
                    Add(run.Id, new StatusChanged(RunScope.Run, null, null, RunStatus.Queued, null, null, null, null, null) { At = now });
                    Add(run.Id, new RunQueued(reason) { At = now });
                }
            }
            else
            {
                var reason = $"The executor running this run ({run.LeaseOwner}) stopped responding; its lease expired. Targets that had started may have run partially.";
                changed = await db.Runs.Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Failed).SetProperty(r => r.FinishedAt, now)
                        .SetProperty(r => r.Error, reason).SetProperty(r => r.LeaseOwner, (string?)null), ct);
                if (changed == 1)
                {
                    const string lost = "executor lost";
                    var steps = await db.RunSteps.AsNoTracking().Where(t => t.RunId == run.Id && Unfinished.Contains(t.Status))
                        .OrderBy(t => t.TargetId).ThenBy(t => t.StepIndex).Select(t => new { t.TargetId, t.StepIndex, t.StartedAt }).ToListAsync(ct);
                    var targets = await db.RunTargets.AsNoTracking().Where(t => t.RunId == run.Id && Unfinished.Contains(t.Status))
                        .OrderBy(t => t.TargetId).Select(t => new { t.TargetId, t.StartedAt, t.Attempt }).ToListAsync(ct);
                    await db.RunTargets.Where(t => t.RunId == run.Id && Unfinished.Contains(t.Status))
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, RunStatus.Failed).SetProperty(t => t.FinishedAt, now)
                            .SetProperty(t => t.Error, lost), ct);
                    await db.RunSteps.Where(t => t.RunId == run.Id && Unfinished.Contains(t.Status))
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, RunStatus.Failed).SetProperty(t => t.FinishedAt, now)
                            .SetProperty(t => t.Error, lost), ct);
                    foreach (var s in steps)
                    {
                        Add(run.Id, new StatusChanged(RunScope.Step, s.TargetId, s.StepIndex, RunStatus.Failed, s.StartedAt, now, null, lost, null) { At = now });
                    }
                    foreach (var t in targets)
                    {
                        Add(run.Id, new StatusChanged(RunScope.Target, t.TargetId, null, RunStatus.Failed, t.StartedAt, now, null, lost, t.Attempt) { At = now });
                    }
                    Add(run.Id, new StatusChanged(RunScope.Run, null, null, RunStatus.Failed, run.StartedAt, now, null, reason, null) { At = now });
                    db.RunOutbox.Add(RunOutboxRow.For(run.Id, RunStatus.Failed, now));
                }
            }
            if (changed == 1)
            {
                recovered++;
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            if (changed == 1)
            {
                // After the commit: another process woken by this must find the change.
                signals.RunChanged(run.Id);
                if (!run.AnyTargetStarted)
                {
                    signals.WorkArrived();
                }
            }
        }
        return recovered;
    }

    void Add(long runId, RunStreamEvent e) => db.RunEvents.Add(RunEventCodec.Encode(runId, e));

    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken ct)
    {
        var alive = clock.GetUtcNow() - options.Lease;
        var workers = await db.Workers.AsNoTracking().Where(w => w.LastHeartbeat >= alive).OrderBy(w => w.Id).ToListAsync(ct);
        if (workers.Count == 0)
        {
            return [];
        }
        // The runs each worker holds a lease on, counted from the runs themselves: the worker's own counter is only as
        // new as its last heartbeat, so a run claimed since then (or a short one) showed "0 / 100" while it ran.
        var ids = workers.Select(w => w.Id).ToList();
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.LeaseOwner != null && ids.Contains(r.LeaseOwner))
            .GroupBy(r => r.LeaseOwner!).Select(g => new { Owner = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Owner, g => g.Count, ct);
        return workers.Select(w => new WorkerInfo(w.Id, w.Host, w.StartedAt, w.LastHeartbeat, running.GetValueOrDefault(w.Id), w.Capacity)).ToList();
    }

    public Task<int> CountQueuedAsync(CancellationToken ct) => db.Runs.CountAsync(r => r.Status == RunStatus.Queued, ct);
}
