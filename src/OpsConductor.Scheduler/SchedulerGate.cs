using Microsoft.EntityFrameworkCore;

namespace OpsConductor.Scheduler;

/// <summary>
/// Keeps a change of a schedule or a blackout window (which takes back what a round planned ahead) apart from the rounds
/// that plan: otherwise a round that read a schedule before it was paused, or blackout rules before they changed, could
/// queue a run the change has already looked for and missed. In this process a semaphore holds a round (claim and start)
/// and a change apart. On PostgreSQL, across processes, a change holds an exclusive advisory lock for its transaction and
/// every claim a shared one before it reads schedules and rules, so claims run side by side and a change waits for the
/// claims in flight and holds off new ones. (SQLite serves one process, whose semaphore is enough.)
/// </summary>
public sealed class SchedulerGate
{
    /// <summary>"OPSCSCHD": the advisory lock's key, one per database.</summary>
    const long LockKey = 0x4F50_5343_5343_4844;

    readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RoundAsync<T>(Func<Task<T>> round, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await round();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a change: dispose it to end it, commit it to keep what it wrote on PostgreSQL.</summary>
    public async Task<SchedulerChange> ChangeAsync(SchedulerDb db, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!db.Database.IsNpgsql())
            {
                return new SchedulerChange(_gate, null);
            }
            var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
            }
            catch
            {
                await transaction.DisposeAsync();
                throw;
            }
            return new SchedulerChange(_gate, transaction);
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>In a claim's transaction, before it reads schedules or rules: waits for a change in flight (PostgreSQL).</summary>
    public static async Task ShareAsync(SchedulerDb db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({LockKey})", ct);
        }
    }
}
