namespace OpsConductor.Auth;

/// <summary>
/// Wrong service secrets per client address only, apart from sign-in: a stranger's failures slow down
/// that stranger and no one else, and the right secret is checked first so it is never refused.
/// </summary>
public sealed class ServiceTokenThrottle(LoginThrottleOptions options, TimeProvider clock)
{
    readonly FailureWindow _failures = new(TimeSpan.FromSeconds(options.WindowSeconds), clock);

    public TimeSpan? RetryAfter(string client) => _failures.WaitBelow(client, options.MaxServiceTokenFailuresPerClient);

    public void RecordFailure(string client) => _failures.Add(client, options.MaxServiceTokenFailuresPerClient);
}
