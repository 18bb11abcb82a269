using System.Collections.Concurrent;

namespace OpsConductor.Auth;

/// <summary>What the throttle says about a sign-in attempt: refused for a while, or tried after a delay (often zero).</summary>
public readonly record struct SignInGate(TimeSpan? RetryAfter, TimeSpan Delay);

/// <summary>
/// Slows password guessing without letting a stranger lock anyone out. Failures are counted per
/// (username, client address) and per address: reaching either limit answers 429 to that pair or
/// address only. Failures of a username from all addresses only add a growing delay, and not for
/// addresses the user signed in from before, so the right password from an address that has not
/// failed always signs in. In memory: one auth process owns it (a restart forgets the counts).
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider clock)
{
    const int MaxTrustedPairs = 100_000;
    readonly FailureWindow _failures = new(TimeSpan.FromSeconds(options.WindowSeconds), clock);
    readonly ConcurrentDictionary<string, DateTimeOffset> _trusted = new();

    public SignInGate Check(string username, string client)
    {
        var pair = _failures.WaitBelow(PairKey(username, client), options.MaxFailuresPerUserAndClient);
        var address = _failures.WaitBelow(ClientKey(client), options.MaxFailuresPerClient);
        if (pair is not null || address is not null)
        {
            return new SignInGate(Longest(pair, address), TimeSpan.Zero);
        }
        if (IsTrusted(username, client))
        {
            return new SignInGate(null, TimeSpan.Zero);
        }
        var excess = _failures.Count(UserKey(username)) - options.UserDelayAfterFailures + 1;
        return new SignInGate(null, TimeSpan.FromSeconds(Math.Clamp(excess, 0, options.MaxUserDelaySeconds)));
    }

    public void RecordFailure(string username, string client)
    {
        _failures.Add(PairKey(username, client), options.MaxFailuresPerUserAndClient);
        _failures.Add(ClientKey(client), options.MaxFailuresPerClient);
        _failures.Add(UserKey(username), options.UserDelayAfterFailures + options.MaxUserDelaySeconds);
    }

    public void RecordSuccess(string username, string client)
    {
        _failures.Clear(PairKey(username, client));
        var now = clock.GetUtcNow();
        if (_trusted.Count >= MaxTrustedPairs)
        {
            foreach (var (key, at) in _trusted)
            {
                if (at <= now - TrustLifetime)
                {
                    _trusted.TryRemove(key, out _);
                }
            }
        }
        if (_trusted.Count < MaxTrustedPairs)
        {
            _trusted[PairKey(username, client)] = now;
        }
    }

    TimeSpan TrustLifetime => TimeSpan.FromDays(options.TrustedAddressDays);

    bool IsTrusted(string username, string client) =>
        _trusted.TryGetValue(PairKey(username, client), out var at) && at > clock.GetUtcNow() - TrustLifetime;

    static TimeSpan? Longest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    static string Normalize(string username) => username.Trim().ToLowerInvariant();
    static string UserKey(string username) => "u:" + Normalize(username);
    static string PairKey(string username, string client) => "p:" + client + " " + Normalize(username);
    static string ClientKey(string client) => "c:" + client;
}
