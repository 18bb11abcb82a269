using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Scheduler;

/// <summary>
/// One round of the scheduler. Claim: in one transaction, lock due schedules (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>,
/// so concurrent schedulers take disjoint rows; SQLite: the write lock), insert their occurrence rows (unique per
/// schedule and time) and advance their next fire time. Then start the runs of the pending occurrences through
/// <see cref="IScheduledRuns.StartAsync"/>, idempotent per occurrence, and mark them fired. A crash in between leaves
/// them pending: the next round (of any process) starts them again, and the run's unique key makes that safe.
/// </summary>
public sealed class ScheduleFiring(SchedulerDb db, IScheduledRuns jobs, ScheduleParameterSeal seal, BlackoutBook blackouts, SchedulerGate gate,
    SchedulerOptions options, TimeProvider clock, ILogger<ScheduleFiring> logger)
{
    /// <summary>
    /// A pending occurrence recorded and due more than this long ago is retried by any process; a younger one is left to the
    /// process that claimed it (with the lookahead it is recorded before its time, and that process queues its run at once).
    /// </summary>
    static readonly TimeSpan PendingRetryAfter = TimeSpan.FromSeconds(10);

    /// <returns>How many schedules were claimed (a full batch means more may be due).</returns>
    public Task<int> RunRoundAsync(CancellationToken ct) => gate.RoundAsync(async () =>
    {
        var now = clock.GetUtcNow();
        var (claimed, pending) = await ClaimAsync(now, ct);
        var stale = now - PendingRetryAfter;
        var retry = await db.Occurrences.AsNoTracking()
            .Where(o => o.Status == OccurrenceStatus.Pending && o.RecordedAt < stale && o.ScheduledFor < stale)
            .OrderBy(o => o.Id).Take(options.BatchSize).Select(o => o.Id).ToListAsync(ct);
        await StartAsync(pending.Concat(retry).Distinct().ToList(), ct);
        return claimed;
    }, ct);

    /// <summary>
    /// When the next round is due (null: no enabled schedule): the earliest next fire time, less the lookahead, so that
    /// the worker wakes at it.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) =>
        await db.Schedules.AsNoTracking().Where(s => s.Enabled && !s.Paused && s.NextFireAt != null).OrderBy(s => s.NextFireAt)
            .Select(s => s.NextFireAt).FirstOrDefaultAsync(ct) - Lookahead;

    TimeSpan Lookahead => TimeSpan.FromSeconds(options.LookaheadSeconds);

    async Task<(int Claimed, List<long> Pending)> ClaimAsync(DateTimeOffset now, CancellationToken ct)
    {
        var grace = TimeSpan.FromSeconds(options.MisfireGraceSeconds);
        var tolerance = TimeSpan.FromSeconds(options.LateToleranceSeconds);
        // Occurrences up to the horizon are claimed now; those not due yet get runs queued for their time.
        var horizon = now + Lookahead;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SchedulerGate.ShareAsync(db, ct); // a blackout change in flight ends first, so the rules read next are current
        var rules = await blackouts.RulesAsync(ct);
        var due = db.Database.IsNpgsql()
            ? await db.Schedules.FromSqlInterpolated($"""
                SELECT * FROM schedules WHERE "Enabled" AND NOT "Paused" AND "NextFireAt" <= {horizon}
                ORDER BY "NextFireAt" LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct)
            : await db.Schedules.Where(s => s.Enabled && !s.Paused && s.NextFireAt != null && s.NextFireAt <= horizon)
                .OrderBy(s => s.NextFireAt).Take(options.BatchSize).ToListAsync(ct);
        if (due.Count == 0)
        {
            return (0, []);
        }
        var added = new List<Occurrence>();
        var missedTotals = new Dictionary<long, int>();
        foreach (var schedule in due)
        {
            var timing = ScheduleTiming.From(schedule);
            if (timing is null)
            {
                Disable(schedule, "The schedule's cron, runAt or timezone can no longer be read: edit it.");
                continue;
            }
            var tags = ScheduleBook.Tags(schedule);
            var applicable = rules.Where(r => r.AppliesTo(tags)).ToList();
            var plan = FirePlan.Make(timing, schedule.NextFireAt!.Value, now, horizon, grace, tolerance, options.MissedRecordLimit,
                at => applicable.FirstOrDefault(r => r.Covers(at))?.Name);
            foreach (var o in plan.Occurrences)
            {
                var row = new Occurrence { ScheduleId = schedule.Id, ScheduledFor = o.ScheduledFor, Status = o.Status, Reason = o.Reason, RecordedAt = now };
                added.Add(row);
                db.Occurrences.Add(row);
            }
            if (plan.MissedTotal > 0)
            {
                missedTotals[schedule.Id] = plan.MissedTotal;
            }
            if (plan.MissedTotal > options.MissedRecordLimit)
            {
                logger.LogWarning("Schedule {Schedule} missed {Count} occurrences while no scheduler ran; recorded the newest {Limit}",
                    schedule.Id, plan.MissedTotal, options.MissedRecordLimit);
            }
            schedule.NextFireAt = plan.NextFireAt;
            if (plan.LastFireAt is { } fired)
            {
                schedule.LastFireAt = fired;
            }
            if (plan.DisableReason is { } reason)
            {
                Disable(schedule, reason);
            }
        }
        await db.SaveChangesAsync(ct);
        // In the same transaction as the missed rows: their notification cannot be lost. One per schedule and round,
        // for its newest missed occurrence (a long outage of a frequent schedule is one message, not a hundred).
        foreach (var missed in added.Where(o => o.Status == OccurrenceStatus.Missed).GroupBy(o => o.ScheduleId))
        {
            var newest = missed.MaxBy(o => o.ScheduledFor)!;
            db.Outbox.Add(new ScheduleOutboxRow { OccurrenceId = newest.Id, MissedCount = missedTotals.GetValueOrDefault(missed.Key, missed.Count()), At = now });
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (due.Count, added.Where(o => o.Status == OccurrenceStatus.Pending).Select(o => o.Id).ToList());
    }

    async Task StartAsync(IReadOnlyList<long> occurrenceIds, CancellationToken ct)
    {
        if (occurrenceIds.Count == 0)
        {
            return;
        }
        var rows = await db.Occurrences.Where(o => occurrenceIds.Contains(o.Id) && o.Status == OccurrenceStatus.Pending).ToListAsync(ct);
        var scheduleIds = rows.Select(o => o.ScheduleId).Distinct().ToList();
        var schedules = await db.Schedules.Where(s => scheduleIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var requests = new List<ScheduledRunRequest>();
        foreach (var o in rows)
        {
            if (!schedules.TryGetValue(o.ScheduleId, out var s))
            {
                db.Occurrences.Remove(o); // its schedule was deleted meanwhile
                continue;
            }
            requests.Add(new ScheduledRunRequest(s.JobId, s.Id, s.Name, o.ScheduledFor, seal.Unseal(s.SealedParameters)));
        }
        var results = (await jobs.StartAsync(requests, ct)).ToDictionary(r => (r.ScheduleId, r.ScheduledFor));
        Record(rows, schedules, results);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A schedule changed while this round queued its runs ahead of their time: the change withdrew (deleted) some of
            // these occurrence rows after they were read here. Their runs, just queued, are taken back; the rest is recorded.
            db.ChangeTracker.Clear();
            var ids = rows.Select(o => o.Id).ToList();
            var existing = await db.Occurrences.Where(o => ids.Contains(o.Id)).ToListAsync(ct);
            var kept = existing.Select(o => (o.ScheduleId, o.ScheduledFor)).ToHashSet();
            var orphans = results.Where(r => !kept.Contains(r.Key) && r.Value is { Outcome: ScheduledRunOutcome.Started, RunId: not null })
                .Select(r => r.Value.RunId!.Value).ToList();
            await jobs.WithdrawAsync(null, DateTimeOffset.MinValue, ct, orphans);
            schedules = await db.Schedules.Where(s => scheduleIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
            db.Occurrences.RemoveRange(existing.Where(o => !schedules.ContainsKey(o.ScheduleId)));
            Record(existing.Where(o => o.Status == OccurrenceStatus.Pending).ToList(), schedules, results);
            await db.SaveChangesAsync(ct);
        }
        db.ChangeTracker.Clear();
    }

    /// <summary>Each occurrence's outcome as the jobs service answered it, and its schedule's last fire.</summary>
    void Record(List<Occurrence> rows, Dictionary<long, Schedule> schedules,
        Dictionary<(long ScheduleId, DateTimeOffset ScheduledFor), ScheduledRunResult> results)
    {
        foreach (var o in rows.Where(r => schedules.ContainsKey(r.ScheduleId)))
        {
            if (!results.TryGetValue((o.ScheduleId, o.ScheduledFor), out var result))
            {
                continue;
            }
            var schedule = schedules[o.ScheduleId];
            switch (result.Outcome)
            {
                case ScheduledRunOutcome.Started:
                    (o.Status, o.RunId) = (OccurrenceStatus.Fired, result.RunId);
                    if (schedule.LastFireAt is null || o.ScheduledFor >= schedule.LastFireAt)
                    {
                        (schedule.LastFireAt, schedule.LastRunId) = (o.ScheduledFor, result.RunId);
                    }
                    break;
                case ScheduledRunOutcome.JobMissing:
                    (o.Status, o.Reason) = (OccurrenceStatus.Failed, result.Reason);
                    Disable(schedule, $"Job {schedule.JobId} was deleted.");
                    break;
                default:
                    (o.Status, o.Reason) = (OccurrenceStatus.Failed, result.Reason);
                    break;
            }
        }
    }

    static void Disable(Schedule schedule, string reason)
    {
        schedule.Enabled = false;
        schedule.NextFireAt = null;
        schedule.DisabledReason = reason;
    }
}
