using System.Collections.Concurrent;

namespace OpsConductor.Auth;

/// <summary>
/// Failures per key in a sliding window, in memory: one auth process owns it (a restart forgets the counts).
/// Each key keeps at most the newest <c>keep</c> failures, so a flood costs a bounded amount of memory per key.
/// </summary>
public sealed class FailureWindow(TimeSpan window, TimeProvider clock)
{
    const int MaxTrackedKeys = 100_000;
    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();

    /// <summary>Failures of the key still inside the window.</summary>
    public int Count(string key) => Recent(key, out _);

    /// <summary>How long until the key is below <paramref name="limit"/> again; null when it is below it now.</summary>
    public TimeSpan? WaitBelow(string key, int limit)
    {
        var count = Recent(key, out var oldest);
        return count >= limit && oldest is { } first ? first + window - clock.GetUtcNow() : null;
    }

    public void Add(string key, int keep)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxTrackedKeys)
        {
            Prune(now);
        }
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(now);
            while (queue.Count > Math.Max(1, keep))
            {
                queue.Dequeue();
            }
        }
    }

    public void Clear(string key) => _failures.TryRemove(key, out _);

    int Recent(string key, out DateTimeOffset? oldest)
    {
        oldest = null;
        if (!_failures.TryGetValue(key, out var queue))
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        lock (queue)
        {
            while (queue.Count > 0 && queue.Peek() <= now - window)
            {
                queue.Dequeue();
            }
            oldest = queue.Count > 0 ? queue.Peek() : null;
            return queue.Count;
        }
    }

    void Prune(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                if (queue.Count == 0 || queue.Last() <= now - window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }
}
