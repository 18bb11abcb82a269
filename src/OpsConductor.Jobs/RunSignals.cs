using System.Collections.Concurrent;

namespace OpsConductor.Jobs;

/// <summary>
/// In-process wake-ups: a queued run wakes the executor at once, a new event wakes its SSE readers.
/// Across processes (split mode) the waiters fall back to short polling.
/// </summary>
public sealed class RunSignals
{
    TaskCompletionSource _work = NewSource();
    int _workPending;
    readonly ConcurrentDictionary<long, TaskCompletionSource> _runs = new();

    /// <summary>How long an SSE reader waits for a wake-up before it looks at the database anyway.</summary>
    public TimeSpan ReaderPollInterval { get; } = TimeSpan.FromMilliseconds(500);

    static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void WorkArrived()
    {
        // Flag first, then wake: a waiter that takes the new source after the swap still sees the flag.
        Interlocked.Exchange(ref _workPending, 1);
        Interlocked.Exchange(ref _work, NewSource()).TrySetResult();
    }

    /// <summary>
    /// Called as a claim starts: work that arrives from now on wakes the next wait, even if it arrives while the
    /// claim is still running (otherwise a run queued during a claim that found nothing waited a whole poll interval).
    /// </summary>
    public void ClaimStarting() => Interlocked.Exchange(ref _workPending, 0);

    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _work).Task;
        return Volatile.Read(ref _workPending) == 1 ? Task.CompletedTask : Wait(signal, timeout, ct);
    }

    public void RunChanged(long runId)
    {
        if (_runs.TryRemove(runId, out var source))
        {
            source.TrySetResult();
        }
    }

    public Task WaitForRunAsync(long runId, TimeSpan timeout, CancellationToken ct) =>
        Wait(_runs.GetOrAdd(runId, _ => NewSource()).Task, timeout, ct);

    static async Task Wait(Task signal, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await signal.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
        }
    }
}
