using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor.Sessions;

/// <summary>
/// Sessions on targets, whatever the protocol: opened by the opener of the target's connection, used by one run's
/// steps on that target, then kept idle for the next run on the same target with the same credential version and
/// connection settings (up to <see cref="ExecutorOptions.KeepConnectionsSeconds"/>).
/// </summary>
public sealed class TargetSessions(IEnumerable<ITargetSessionOpener> openers, ExecutorOptions options, TimeProvider clock, ILogger<TargetSessions> logger)
    : IAsyncDisposable
{
    sealed record PoolKey(long TargetId, ConnectionType Connection, OsType Os, string Host, int Port, long CredentialId, int CredentialVersion,
        string? PinnedHostKey, bool UseHttps, bool VerifyCertificate, string? Thumbprint);

    sealed record Idle(ITargetSession Session, DateTimeOffset Since);

    readonly Dictionary<ConnectionType, ITargetSessionOpener> _openers = openers.ToDictionary(o => o.Connection);
    readonly ConcurrentDictionary<PoolKey, ConcurrentBag<Idle>> _idle = new();

    /// <summary>A session from the pool or new; give it back with <see cref="ReleaseAsync"/>. Throws <see cref="TargetConnectException"/>.</summary>
    public async Task<OpenedSession> AcquireAsync(TargetConnection target, CredentialSecret secret,
        Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        var key = Key(target, secret);
        if (_idle.TryGetValue(key, out var bag))
        {
            while (bag.TryTake(out var idle))
            {
                if (Fresh(idle))
                {
                    return new OpenedSession(idle.Session);
                }
                await Close(idle.Session);
            }
        }
        if (!_openers.TryGetValue(target.Connection, out var opener))
        {
            throw new TargetConnectException(TargetConnectFailure.ProtocolError, $"This executor cannot open {target.Connection} sessions.");
        }
        return await opener.OpenAsync(target, secret, verifyHostKey, ct);
    }

    /// <summary>Ends the run's use of the session and keeps it for the next run when it is still good, else closes it.</summary>
    public async Task ReleaseAsync(TargetConnection target, CredentialSecret secret, ITargetSession session, bool reusable)
    {
        if (reusable && options.KeepConnectionsSeconds > 0 && session.IsConnected)
        {
            try
            {
                await session.EndRunAsync();
            }
            catch (Exception ex) when (ex is TargetSessionLostException or IOException or OperationCanceledException)
            {
                await Close(session);
                return;
            }
            if (session.IsConnected)
            {
                _idle.GetOrAdd(Key(target, secret), _ => []).Add(new Idle(session, clock.GetUtcNow()));
                return;
            }
        }
        await Close(session);
    }

    /// <summary>Closes sessions idle for longer than the keep time.</summary>
    public async Task PruneAsync()
    {
        foreach (var (key, bag) in _idle)
        {
            var keep = new List<Idle>();
            while (bag.TryTake(out var idle))
            {
                if (Fresh(idle))
                {
                    keep.Add(idle);
                }
                else
                {
                    await Close(idle.Session);
                }
            }
            foreach (var idle in keep)
            {
                bag.Add(idle);
            }
            if (bag.IsEmpty)
            {
                _idle.TryRemove(key, out _);
            }
        }
    }

    bool Fresh(Idle idle) => idle.Session.IsConnected && clock.GetUtcNow() - idle.Since < TimeSpan.FromSeconds(options.KeepConnectionsSeconds);

    static PoolKey Key(TargetConnection t, CredentialSecret s) => new(t.Id, t.Connection, t.OsType, t.Hostname, t.Port, s.CredentialId, s.Version,
        t.PinnedHostKey, t.WinRmUseHttps, t.WinRmVerifyCertificate, t.WinRmCertificateThumbprint);

    async Task Close(ITargetSession session)
    {
        try
        {
            await session.DisposeAsync();
        }
        catch (Exception ex)
        {
            // Closing is best effort: a broken connection must not fail the run that finished with it.
            logger.LogDebug("Closing a session failed: {Error}", ex.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bag in _idle.Values)
        {
            while (bag.TryTake(out var idle))
            {
                await Close(idle.Session);
            }
        }
    }
}
