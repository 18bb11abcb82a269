using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>
/// Group commit for the run ledger. A run fanning out to hundreds of targets reports several rows per target at
/// once; written one transaction each from many threads, those writes queue on the database's single write lock
/// (SQLite: every busy writer sleeps 150 ms in Microsoft.Data.Sqlite's retry loop, on a blocked thread). Here one
/// writer takes every write waiting at that moment and applies them in order in one transaction; each caller's
/// task completes only once its write is committed, so callers keep "written when awaited". If a batch fails, its
/// writes are retried one transaction each, so one bad write fails only its own caller.
/// </summary>
sealed class RunLedgerWriter(IServiceScopeFactory scopes, RunSignals signals, TimeProvider clock, ILogger<RunLedgerWriter> logger) : IAsyncDisposable
{
    const int MaxBatch = 1000;

    sealed record Pending(Func<RunLedger, Task> Write, TaskCompletionSource Done);

    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Lock _startGate = new();
    Task? _loop;

    public Task WriteAsync(Func<RunLedger, Task> write)
    {
        if (_loop is null)
        {
            lock (_startGate)
            {
                _loop ??= Task.Run(LoopAsync);
            }
        }
        var pending = new Pending(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new ObjectDisposedException(nameof(RunLedgerWriter)));
        }
        return pending.Done.Task;
    }

    async Task LoopAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    async Task WriteBatchAsync(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                Signal(await ApplyAsync(batch));
                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult();
                }
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "A batch of {Count} ledger writes failed; writing them one by one", batch.Count);
            }
        }
        foreach (var pending in batch)
        {
            try
            {
                Signal(await ApplyAsync([pending]));
                pending.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    async Task<RunLedger> ApplyAsync(IReadOnlyList<Pending> writes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDb>();
        var ledger = new RunLedger(db, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        foreach (var pending in writes)
        {
            await pending.Write(ledger);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return ledger;
    }

    /// <summary>Readers are woken only after the commit, so what they read includes what woke them.</summary>
    void Signal(RunLedger ledger)
    {
        foreach (var runId in ledger.ChangedRuns)
        {
            signals.RunChanged(runId);
        }
        if (ledger.RunsFinished)
        {
            signals.WorkArrived(); // a finished run may unblock a queued one of the same job
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }
}

/// <summary>The <see cref="IRunLedger"/> the executor gets: every write goes through the group commit.</summary>
sealed class BatchedRunLedger(RunLedgerWriter writer) : IRunLedger
{
    public Task TargetsResolvedAsync(long runId, IReadOnlyList<RunTargetRecord> targets, IReadOnlyList<string> problems, CancellationToken ct) =>
        writer.WriteAsync(l => l.TargetsResolvedAsync(runId, targets, problems, ct));

    public Task TargetStartedAsync(long runId, long targetId, int attempt, CancellationToken ct) =>
        writer.WriteAsync(l => l.TargetStartedAsync(runId, targetId, attempt, ct));

    public Task StepStartedAsync(long runId, long targetId, int stepIndex, CancellationToken ct) =>
        writer.WriteAsync(l => l.StepStartedAsync(runId, targetId, stepIndex, ct));

    public Task AppendOutputAsync(long runId, long targetId, int stepIndex, OutputStream stream, long firstLine, IReadOnlyList<string> lines,
        CancellationToken ct) =>
        writer.WriteAsync(l => l.AppendOutputAsync(runId, targetId, stepIndex, stream, firstLine, lines, ct));

    public Task StepFinishedAsync(long runId, long targetId, int stepIndex, StepResult result, CancellationToken ct) =>
        writer.WriteAsync(l => l.StepFinishedAsync(runId, targetId, stepIndex, result, ct));

    public Task TargetFinishedAsync(long runId, long targetId, RunStatus status, string? error, CancellationToken ct) =>
        writer.WriteAsync(l => l.TargetFinishedAsync(runId, targetId, status, error, ct));

    public Task RunFinishedAsync(long runId, RunStatus status, string? error, CancellationToken ct) =>
        writer.WriteAsync(l => l.RunFinishedAsync(runId, status, error, ct));
}
