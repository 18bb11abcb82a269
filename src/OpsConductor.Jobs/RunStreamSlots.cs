using System.Collections.Concurrent;

namespace OpsConductor.Jobs;

/// <summary>
/// Open event streams per user in this process (<c>OpsConductor:Jobs:MaxStreamsPerUser</c>, 20 by default):
/// beyond the limit a new stream is refused with 429, so one account cannot hold an unbounded number of connections.
/// </summary>
public sealed class RunStreamSlots(int maxPerUser)
{
    readonly ConcurrentDictionary<long, int> _open = new();

    public int MaxPerUser => maxPerUser;

    /// <summary>A slot to dispose when the stream ends, or null when the user already holds the limit.</summary>
    public IDisposable? TryOpen(long userId)
    {
        while (true)
        {
            var current = _open.GetOrAdd(userId, 0);
            if (current >= maxPerUser)
            {
                return null;
            }
            if (_open.TryUpdate(userId, current + 1, current))
            {
                return new Slot(this, userId);
            }
        }
    }

    void Close(long userId)
    {
        while (true)
        {
            var current = _open.GetValueOrDefault(userId);
            if (current <= 1)
            {
                // Remove only if nobody opened another in between.
                if (_open.TryRemove(new KeyValuePair<long, int>(userId, current)) || current == 0)
                {
                    return;
                }
            }
            else if (_open.TryUpdate(userId, current - 1, current))
            {
                return;
            }
        }
    }

    sealed class Slot(RunStreamSlots owner, long userId) : IDisposable
    {
        int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Close(userId);
            }
        }
    }
}
