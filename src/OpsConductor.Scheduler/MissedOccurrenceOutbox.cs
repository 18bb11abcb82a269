using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Scheduler;

/// <summary>
/// <see cref="IMissedOccurrenceOutbox"/> on the scheduler database, claimed like the jobs outbox (<see cref="LeaseClaim"/>);
/// completing deletes them.
/// </summary>
sealed class MissedOccurrenceOutbox(SchedulerDb db, TimeProvider clock) : IMissedOccurrenceOutbox
{
    public async Task<IReadOnlyList<MissedOccurrenceEntry>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        var claimed = await LeaseClaim.ClaimAsync<ScheduleOutboxRow>(db, owner, max, clock.GetUtcNow(), lease, ct);
        var rows = claimed.Count == 0 ? [] : await db.Outbox.AsNoTracking().Where(o => claimed.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync(ct);
        return rows.Select(o => new MissedOccurrenceEntry(o.Id, o.OccurrenceId, o.MissedCount, o.At)).ToList();
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> entryIds, CancellationToken ct)
    {
        if (entryIds.Count > 0)
        {
            await db.Outbox.Where(o => entryIds.Contains(o.Id)).ExecuteDeleteAsync(ct);
        }
    }

    public async Task<MissedOccurrence?> GetAsync(long occurrenceId, CancellationToken ct) =>
        await (from o in db.Occurrences.AsNoTracking()
               join s in db.Schedules.AsNoTracking() on o.ScheduleId equals s.Id
               where o.Id == occurrenceId && o.Status == OccurrenceStatus.Missed
               select new MissedOccurrence(o.Id, s.Id, s.Name, s.JobId, s.TimeZone, o.ScheduledFor, o.Reason, o.RecordedAt)).FirstOrDefaultAsync(ct);
}
