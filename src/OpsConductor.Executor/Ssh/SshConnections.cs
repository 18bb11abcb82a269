using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpsConductor.Remoting.Ssh;
using OpsConductor.Shared.Contracts;
using Renci.SshNet;

namespace OpsConductor.Executor.Ssh;

public enum ConnectFailure
{
    Unreachable,
    AuthFailed,
    HostKeyMismatch,
    HostKeyUnconfirmed,
}

public sealed class TargetConnectException(ConnectFailure failure, string message) : Exception(message)
{
    public ConnectFailure Failure { get; } = failure;
}

/// <summary>
/// SSH connections to targets (opened by the shared <see cref="SshConnector"/>: host key pinned, never skipped),
/// and idle connections kept for the next run on the same target with the same credential version.
/// </summary>
public sealed class SshConnections(SshConnector connector, ExecutorOptions options, TimeProvider clock, ILogger<SshConnections> logger) : IAsyncDisposable
{
    sealed record PoolKey(long TargetId, string Host, int Port, long CredentialId, int CredentialVersion, string? PinnedHostKey);

    sealed record Idle(SshClient Client, DateTimeOffset Since);

    readonly ConcurrentDictionary<PoolKey, ConcurrentBag<Idle>> _idle = new();

    /// <summary>
    /// A connected client, from the pool or new, and the host key that authentication just succeeded to when the
    /// target had none pinned (for the caller to pin). Return the client with <see cref="Release"/>.
    /// </summary>
    public async Task<(SshClient Client, string? FirstUseHostKey)> AcquireAsync(
        TargetConnection target, CredentialSecret secret, Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        var key = Key(target, secret);
        if (_idle.TryGetValue(key, out var bag))
        {
            while (bag.TryTake(out var idle))
            {
                if (idle.Client.IsConnected && clock.GetUtcNow() - idle.Since < TimeSpan.FromSeconds(options.KeepConnectionsSeconds))
                {
                    return (idle.Client, null);
                }
                idle.Client.Dispose();
            }
        }
        return await ConnectAsync(target, secret, verifyHostKey, ct);
    }

    public void Release(TargetConnection target, CredentialSecret secret, SshClient client, bool reusable)
    {
        if (reusable && options.KeepConnectionsSeconds > 0 && client.IsConnected)
        {
            _idle.GetOrAdd(Key(target, secret), _ => []).Add(new Idle(client, clock.GetUtcNow()));
        }
        else
        {
            client.Dispose();
        }
    }

    /// <summary>Closes connections idle for longer than the keep time.</summary>
    public void Prune()
    {
        foreach (var (key, bag) in _idle)
        {
            var keep = new List<Idle>();
            while (bag.TryTake(out var idle))
            {
                if (idle.Client.IsConnected && clock.GetUtcNow() - idle.Since < TimeSpan.FromSeconds(options.KeepConnectionsSeconds))
                {
                    keep.Add(idle);
                }
                else
                {
                    idle.Client.Dispose();
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

    static PoolKey Key(TargetConnection t, CredentialSecret s) => new(t.Id, t.Hostname, t.Port, s.CredentialId, s.Version, t.PinnedHostKey);

    async Task<(SshClient, string?)> ConnectAsync(TargetConnection target, CredentialSecret secret,
        Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        // The pinned key is known here: a match needs no database call inside the key exchange.
        Task<HostKeyVerdict> Verify(string seen, CancellationToken token) =>
            target.PinnedHostKey is { } pinned && string.Equals(pinned, seen, StringComparison.Ordinal)
                ? Task.FromResult(HostKeyVerdict.Trusted)
                : verifyHostKey(seen, token);
        try
        {
            var session = await connector.ConnectAsync(target, secret, Verify, TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), ct);
            logger.LogDebug("Connected to {Target} with {Kex}", target.Name, session.Client.ConnectionInfo.CurrentKeyExchangeAlgorithm);
            return (session.Client, session.HostKeyVerdict == HostKeyVerdict.FirstUse ? session.HostKeyFingerprint : null);
        }
        catch (SshConnectException ex)
        {
            throw new TargetConnectException(ex.Kind switch
            {
                SshFailureKind.AuthFailed => ConnectFailure.AuthFailed,
                SshFailureKind.HostKeyMismatch => ConnectFailure.HostKeyMismatch,
                SshFailureKind.HostKeyUnconfirmed => ConnectFailure.HostKeyUnconfirmed,
                _ => ConnectFailure.Unreachable,
            }, ex.Message);
        }
        catch (InvalidPrivateKeyException ex)
        {
            throw new TargetConnectException(ConnectFailure.AuthFailed, ex.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var bag in _idle.Values)
        {
            while (bag.TryTake(out var idle))
            {
                idle.Client.Dispose();
            }
        }
        return ValueTask.CompletedTask;
    }
}
