using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Scheduler;

/// <summary>
/// <see cref="IMissedOccurrenceOutbox"/> on the scheduler database, claimed like the jobs outbox: each row by an update
/// that only succeeds while its lease is free or lapsed (PostgreSQL picks the candidates with FOR UPDATE SKIP LOCKED);
/// completing deletes them.
/// </summary>
sealed class MissedOccurrenceOutbox(SchedulerDb db, TimeProvider clock) : IMissedOccurrenceOutbox
{
    public async Task<IReadOnlyList<MissedOccurrenceEntry>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseEnd = now + lease;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        List<long> candidates;
        if (db.Database.IsNpgsql())
        {
            candidates = await db.Database.SqlQuery<long>(
                $"""SELECT "Id" AS "Value" FROM schedule_outbox WHERE "LeaseExpiresAt" IS NULL OR "LeaseExpiresAt" < {now} ORDER BY "Id" LIMIT {max} FOR UPDATE SKIP LOCKED""")
                .ToListAsync(ct);
        }
        else
        {
            candidates = await db.Outbox.Where(o => o.LeaseExpiresAt == null || o.LeaseExpiresAt < now).OrderBy(o => o.Id).Take(max)
                .Select(o => o.Id).ToListAsync(ct);
        }
        var claimed = new List<long>();
        foreach (var id in candidates)
        {
            if (await db.Outbox.Where(o => o.Id == id && (o.LeaseExpiresAt == null || o.LeaseExpiresAt < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, owner).SetProperty(o => o.LeaseExpiresAt, leaseEnd), ct) == 1)
            {
                claimed.Add(id);
            }
        }
        var rows = claimed.Count == 0 ? [] : await db.Outbox.AsNoTracking().Where(o => claimed.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync(ct);
        await transaction.CommitAsync(ct);
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
