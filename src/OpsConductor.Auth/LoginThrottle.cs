using System.Collections.Concurrent;

namespace OpsConductor.Auth;

public sealed record LoginThrottleOptions(int MaxFailuresPerUser = 5, int MaxFailuresPerClient = 20, int WindowSeconds = 900);

/// <summary>
/// Counts failed sign-ins per username and per client address in a sliding window; once either reaches
/// its limit, sign-in answers 429 until the oldest failure leaves the window. In memory: one auth
/// process owns it (a restart forgets the counts).
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider clock)
{
    const int MaxTrackedKeys = 100_000;
    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();
    TimeSpan Window => TimeSpan.FromSeconds(options.WindowSeconds);

    /// <summary>How long the caller must wait, or null when a sign-in may be tried.</summary>
    public TimeSpan? RetryAfter(string username, string client)
    {
        var now = clock.GetUtcNow();
        var user = Wait(UserKey(username), options.MaxFailuresPerUser, now);
        var address = Wait(ClientKey(client), options.MaxFailuresPerClient, now);
        return (user, address) switch
        {
            (null, var a) => a,
            (var u, null) => u,
            var (u, a) => u > a ? u : a,
        };
    }

    public void RecordFailure(string username, string client)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxTrackedKeys)
        {
            Prune(now);
        }
        Add(UserKey(username), options.MaxFailuresPerUser, now);
        Add(ClientKey(client), options.MaxFailuresPerClient, now);
    }

    public void RecordSuccess(string username) => _failures.TryRemove(UserKey(username), out _);

    static string UserKey(string username) => "u:" + username.Trim().ToLowerInvariant();
    static string ClientKey(string client) => "c:" + client;

    TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return null;
        }
        lock (queue)
        {
            while (queue.Count > 0 && queue.Peek() <= now - Window)
            {
                queue.Dequeue();
            }
            return queue.Count >= limit ? queue.Peek() + Window - now : null;
        }
    }

    void Add(string key, int limit, DateTimeOffset now)
    {
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(now);
            while (queue.Count > limit)
            {
                queue.Dequeue();
            }
        }
    }

    void Prune(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                if (queue.Count == 0 || queue.Last() <= now - Window)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }
}
