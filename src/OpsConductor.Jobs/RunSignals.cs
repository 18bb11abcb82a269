using System.Collections.Concurrent;

namespace OpsConductor.Jobs;

/// <summary>
/// In-process wake-ups: a queued run wakes the executor at once, a new event wakes its SSE readers.
/// Across processes (split mode) the waiters fall back to short polling.
/// </summary>
public sealed class RunSignals
{
    TaskCompletionSource _work = NewSource();
    readonly ConcurrentDictionary<long, TaskCompletionSource> _runs = new();

    static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void WorkArrived() => Interlocked.Exchange(ref _work, NewSource()).TrySetResult();

    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => Wait(Volatile.Read(ref _work).Task, timeout, ct);

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
