using Microsoft.EntityFrameworkCore.Storage;

namespace OpsConductor.Scheduler;

/// <summary>A change holding <see cref="SchedulerGate"/>: on PostgreSQL with its transaction, which ends uncommitted unless committed.</summary>
public sealed class SchedulerChange(SemaphoreSlim gate, IDbContextTransaction? transaction) : IAsyncDisposable
{
    public async Task CommitAsync(CancellationToken ct)
    {
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
