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

    /// <summary>The executor's claim poll while a PostgreSQL process is not receiving other processes' wake-ups.</summary>
    public static readonly TimeSpan LocalWorkPollInterval = TimeSpan.FromSeconds(1);

    readonly TimeSpan _listeningReaderPoll = TimeSpan.FromSeconds(options.ReaderPollSeconds);
    TaskCompletionSource _work = NewSource();
    int _workPending;
    readonly ConcurrentDictionary<long, RunWatch> _runs = new();
    readonly ConcurrentDictionary<(long RunId, CancellationToken Reader), ReaderMark> _readers = new();
    readonly TimeSpan _forgetAfter = TimeSpan.FromSeconds(Math.Max(options.ReaderPollSeconds, 0.5) * 2 + 60);
    long _nextPrune;
    volatile bool _listening;

    /// <summary>A run someone reads: its change count, and the source its next change completes.</summary>
    sealed class RunWatch
    {
        public long Changes;
        public TaskCompletionSource Source = NewSource();
        public long LastWait;
        public bool Forgotten;
    }

    /// <summary>How many changes of the run one reader had seen when its last wait returned.</summary>
    readonly record struct ReaderMark(long Changes, long At);

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

    /// <summary>
    /// Waits for queued work up to <paramref name="timeout"/> (the executor's safety-net poll). While the PostgreSQL
    /// listener is down, other processes' work cannot wake this one, so the wait is cut to the local poll (1 s).
    /// </summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (notifications is not null && !_listening && timeout > LocalWorkPollInterval)
        {
            timeout = LocalWorkPollInterval;
        }
        var signal = Volatile.Read(ref _work).Task;
        return Volatile.Read(ref _workPending) == 1 ? Task.CompletedTask : Wait(signal, timeout, ct);
    }

    /// <summary>Call after the commit that changed the run, so its readers read the change.</summary>
    public void RunChanged(long runId)
    {
        WakeRun(runId);
        notifications?.PublishRun(runId);
    }

    /// <summary>
    /// Waits for a change of the run after this reader's previous wait returned (a reader is one
    /// <paramref name="ct"/>, an SSE request's). A change while the reader was reading the database returns at
    /// once, so it is never lost between the read and the next wait; so does a reader's first wait, since its first
    /// read may have raced a change. Without this, a lost wake-up cost a whole safety-net poll (5 s with LISTEN).
    /// </summary>
    public Task WaitForRunAsync(long runId, TimeSpan timeout, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        RunWatch watch;
        long changes;
        Task signal;
        while (true)
        {
            watch = _runs.GetOrAdd(runId, _ => new RunWatch());
            lock (watch)
            {
                if (watch.Forgotten)
                {
                    continue;
                }
                watch.LastWait = now;
                changes = watch.Changes;
                signal = watch.Source.Task;
                break;
            }
        }
        PruneNow(now);
        var key = (runId, ct);
        var seen = _readers.TryGetValue(key, out var mark);
        if (!seen || mark.Changes != changes)
        {
            _readers[key] = new ReaderMark(changes, now);
            return Task.CompletedTask;
        }
        return WaitAndMark(watch, key, signal, timeout, ct);
    }

    async Task WaitAndMark(RunWatch watch, (long, CancellationToken) key, Task signal, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await Wait(signal, timeout, ct);
        }
        finally
        {
            long changes;
            lock (watch)
            {
                changes = watch.Changes;
            }
            _readers[key] = new ReaderMark(changes, Environment.TickCount64);
        }
    }

    /// <summary>Forgets readers and runs nobody waited for in a while (a live reader waits at least once per poll).</summary>
    void PruneNow(long now)
    {
        var due = Interlocked.Read(ref _nextPrune);
        if (now < due || Interlocked.CompareExchange(ref _nextPrune, now + 30_000, due) != due)
        {
            return;
        }
        var before = now - (long)_forgetAfter.TotalMilliseconds;
        foreach (var (key, mark) in _readers)
        {
            if (mark.At < before)
            {
                _readers.TryRemove(key, out _);
            }
        }
        foreach (var (runId, watch) in _runs)
        {
            lock (watch)
            {
                if (watch.LastWait < before)
                {
                    watch.Forgotten = true;
                    _runs.TryRemove(runId, out _);
                }
            }
        }
    }

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
        if (_runs.TryGetValue(runId, out var watch))
        {
            TaskCompletionSource woken;
            lock (watch)
            {
                watch.Changes++;
                woken = watch.Source;
                watch.Source = NewSource();
            }
            woken.TrySetResult();
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
