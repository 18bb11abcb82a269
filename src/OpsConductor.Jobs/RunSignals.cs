using System.Collections.Concurrent;

namespace OpsConductor.Jobs;

/// <summary>
/// Wake-ups: a queued run wakes the executor at once, a new event wakes its SSE readers. In one process they are
/// in-memory signals. With PostgreSQL every signal is also published (<see cref="PostgresRunNotifications"/>) and
/// the <see cref="PostgresRunListener"/> turns other processes' signals into local ones, so split mode wakes at once
/// too; the waiters' timeouts are then only a slow safety net.
/// </summary>
public sealed class RunSignals(RunWakeupOptions options, PostgresRunNotifications? notifications = null)
{
    /// <summary>The readers' poll without cross-process notifications (SQLite, or while the listener reconnects).</summary>
    public static readonly TimeSpan LocalReaderPollInterval = TimeSpan.FromMilliseconds(500);

    readonly TimeSpan _listeningReaderPoll = TimeSpan.FromSeconds(options.ReaderPollSeconds);
    TaskCompletionSource _work = NewSource();
    int _workPending;
    readonly ConcurrentDictionary<long, TaskCompletionSource> _runs = new();
    volatile bool _listening;

    /// <summary>How long an SSE reader waits for a wake-up before it looks at the database anyway.</summary>
    public TimeSpan ReaderPollInterval => _listening ? _listeningReaderPoll : LocalReaderPollInterval;

    /// <summary>True while signals of other processes arrive here (the PostgreSQL listener is connected).</summary>
    public bool ReceivesOtherProcesses => _listening;

    static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Call after the commit that queued work (or freed a slot), so whoever wakes reads it.</summary>
    public void WorkArrived()
    {
        WakeWork();
        notifications?.PublishWork();
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

    /// <summary>Call after the commit that changed the run, so its readers read the change.</summary>
    public void RunChanged(long runId)
    {
        WakeRun(runId);
        notifications?.PublishRun(runId);
    }

    public Task WaitForRunAsync(long runId, TimeSpan timeout, CancellationToken ct) =>
        Wait(_runs.GetOrAdd(runId, _ => NewSource()).Task, timeout, ct);

    /// <summary>Another process queued work: wake this process's executor without publishing again.</summary>
    internal void WakeWork()
    {
        // Flag first, then wake: a waiter that takes the new source after the swap still sees the flag.
        Interlocked.Exchange(ref _workPending, 1);
        Interlocked.Exchange(ref _work, NewSource()).TrySetResult();
    }

    /// <summary>Another process changed the run: wake its readers here without publishing again.</summary>
    internal void WakeRun(long runId)
    {
        if (_runs.TryRemove(runId, out var source))
        {
            source.TrySetResult();
        }
    }

    /// <summary>After (re)connecting the listener: notifications may have been missed, so every waiter looks once.</summary>
    internal void WakeAll()
    {
        WakeWork();
        foreach (var runId in _runs.Keys)
        {
            WakeRun(runId);
        }
    }

    internal void SetListening(bool listening) => _listening = listening;

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
