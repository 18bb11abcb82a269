using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Scheduler;

/// <summary>
/// Takes back what a round did ahead of time (<see cref="SchedulerOptions.LookaheadSeconds"/>) for occurrences not due yet
/// when a schedule or a blackout window changes: their runs queued ahead and their occurrence rows (skipped ones too).
/// Each schedule's next fire time goes back to the earliest of them, so the next round plans them again under the new
/// settings.
/// </summary>
public sealed class ScheduleLookahead(SchedulerDb db, IScheduledRuns jobs, SchedulerSignals signals, TimeProvider clock)
{
    /// <summary>An occurrence due within this margin is left as it is: an executor may be starting its run.</summary>
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    /// <summary>A blackout window with these tags (before or after a change) covers which schedules: theirs are withdrawn.</summary>
    public async Task WithdrawCoveredAsync(IReadOnlyList<IReadOnlyCollection<string>> windowTags, CancellationToken ct)
    {
        if (windowTags.Any(t => t.Count == 0))
        {
            await WithdrawAsync(null, ct); // a window without tags covers every schedule
            return;
        }
        var after = clock.GetUtcNow() + Margin;
        var planned = await db.Occurrences.AsNoTracking().Where(o => o.ScheduledFor > after).Select(o => o.ScheduleId).Distinct().ToListAsync(ct);
        var tagged = await db.Schedules.AsNoTracking().Where(s => planned.Contains(s.Id)).Select(s => new { s.Id, s.TagsJson }).ToListAsync(ct);
        var tags = windowTags.SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
        var covered = tagged.Where(s => ScheduleBook.Tags(s.TagsJson).Any(tags.Contains)).Select(s => s.Id).ToList();
        if (covered.Count > 0)
        {
            await WithdrawAsync(covered, ct);
        }
    }

    /// <param name="scheduleIds">These schedules' occurrences; null: every schedule's.</param>
    public async Task WithdrawAsync(IReadOnlyCollection<long>? scheduleIds, CancellationToken ct)
    {
        var after = clock.GetUtcNow() + Margin;
        var ids = scheduleIds?.Distinct().ToList();
        var future = db.Occurrences.Where(o => o.ScheduledFor > after
            && (o.Status == OccurrenceStatus.Pending || o.Status == OccurrenceStatus.Fired || o.Status == OccurrenceStatus.Skipped));
        if (ids is not null)
        {
            future = future.Where(o => ids.Contains(o.ScheduleId));
        }
        if (!await future.AnyAsync(ct))
        {
            return;
        }
        if (db.Database.IsNpgsql())
        {
            // In the change's transaction (SchedulerGate): a round of another process that is queuing these runs right now
            // waits here to mark its occurrences fired, finds them withdrawn, and takes back the runs it queued.
            if (ids is null)
            {
                await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM schedule_occurrences WHERE "ScheduledFor" > {after} FOR UPDATE""", ct);
            }
            else
            {
                var lockIds = ids.ToArray();
                await db.Database.ExecuteSqlAsync(
                    $"""SELECT 1 FROM schedule_occurrences WHERE "ScheduledFor" > {after} AND "ScheduleId" = ANY({lockIds}) FOR UPDATE""", ct);
            }
        }
        // The runs first: an occurrence row without its run would be planned again and get a new one; a run without its
        // occurrence row is what the claim would otherwise have made.
        var withdrawn = (await jobs.WithdrawAsync(ids, after, ct)).Select(w => w.RunId).ToHashSet();
        var rows = (await future.ToListAsync(ct))
            .Where(o => o.Status != OccurrenceStatus.Fired || o.RunId is { } runId && withdrawn.Contains(runId)).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        db.Occurrences.RemoveRange(rows);
        var earliest = rows.GroupBy(o => o.ScheduleId).ToDictionary(g => g.Key, g => g.Min(o => o.ScheduledFor));
        var affected = earliest.Keys.ToList();
        var schedules = await db.Schedules.Where(s => affected.Contains(s.Id)).ToListAsync(ct);
        // Their last fire as it was before the withdrawn occurrences were planned.
        var rewind = schedules.Where(s => s.LastFireAt > after).Select(s => s.Id).ToList();
        var lastAt = await db.Occurrences.AsNoTracking()
            .Where(o => rewind.Contains(o.ScheduleId) && o.Status == OccurrenceStatus.Fired && o.ScheduledFor <= after)
            .GroupBy(o => o.ScheduleId).Select(g => g.Max(o => o.ScheduledFor)).ToListAsync(ct);
        var lastFired = (await db.Occurrences.AsNoTracking()
            .Where(o => rewind.Contains(o.ScheduleId) && o.Status == OccurrenceStatus.Fired && lastAt.Contains(o.ScheduledFor)).ToListAsync(ct))
            .GroupBy(o => o.ScheduleId).ToDictionary(g => g.Key, g => g.MaxBy(o => o.ScheduledFor)!);
        foreach (var schedule in schedules)
        {
            var first = earliest[schedule.Id];
            if (schedule.Cron is null && !schedule.Enabled)
            {
                // A one-time schedule disables itself when its occurrence is planned: that occurrence is back.
                (schedule.Enabled, schedule.DisabledReason) = (true, null);
            }
            if (schedule.Enabled && !schedule.Paused && (schedule.NextFireAt is null || schedule.NextFireAt > first))
            {
                schedule.NextFireAt = first;
            }
            if (schedule.LastFireAt > after)
            {
                var last = lastFired.GetValueOrDefault(schedule.Id);
                (schedule.LastFireAt, schedule.LastRunId) = (last?.ScheduledFor, last?.RunId);
            }
        }
        await db.SaveChangesAsync(ct);
        signals.ScheduleChanged();
    }
}
