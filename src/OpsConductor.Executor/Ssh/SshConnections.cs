using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace OpsConductor.Executor.Ssh;

public enum ConnectFailure
{
    Unreachable,
    AuthFailed,
    HostKeyMismatch,
}

public sealed class TargetConnectException(ConnectFailure failure, string message) : Exception(message)
{
    public ConnectFailure Failure { get; } = failure;
}

/// <summary>
/// SSH connections to targets: host key pinned (never skipped), key exchange order from settings,
/// and idle connections kept for the next run on the same target with the same credential version.
/// </summary>
public sealed class SshConnections(ExecutorOptions options, ILogger<SshConnections> logger) : IAsyncDisposable
{
    sealed record PoolKey(long TargetId, string Host, int Port, long CredentialId, int CredentialVersion, string? PinnedHostKey);

    sealed record Idle(SshClient Client, DateTimeOffset Since);

    readonly ConcurrentDictionary<PoolKey, ConcurrentBag<Idle>> _idle = new();

    /// <summary>A connected client, from the pool or new. Return it with <see cref="Release"/>.</summary>
    public async Task<(SshClient Client, string? SeenHostKey)> AcquireAsync(
        TargetConnection target, CredentialSecret secret, Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        var key = Key(target, secret);
        if (_idle.TryGetValue(key, out var bag))
        {
            while (bag.TryTake(out var idle))
            {
                if (idle.Client.IsConnected && DateTimeOffset.UtcNow - idle.Since < TimeSpan.FromSeconds(options.KeepConnectionsSeconds))
                {
                    return (idle.Client, target.PinnedHostKey);
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
            _idle.GetOrAdd(Key(target, secret), _ => []).Add(new Idle(client, DateTimeOffset.UtcNow));
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
                if (idle.Client.IsConnected && DateTimeOffset.UtcNow - idle.Since < TimeSpan.FromSeconds(options.KeepConnectionsSeconds))
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
        var info = new ConnectionInfo(target.Hostname, target.Port, secret.Username ?? "", Authentication(secret))
        {
            Timeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
        };
        PreferKeyExchange(info, options.KeyExchange);
        string? seen = null;
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            seen = "SHA256:" + e.FingerPrintSHA256;
            // Trust a pinned key only if it matches; an unpinned key is pinned right after connecting (trust on first use).
            e.CanTrust = target.PinnedHostKey is null || string.Equals(target.PinnedHostKey, seen, StringComparison.Ordinal);
        };
        try
        {
            await client.ConnectAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            client.Dispose();
            if (seen is not null && target.PinnedHostKey is not null && seen != target.PinnedHostKey)
            {
                await verifyHostKey(seen, ct);
                throw new TargetConnectException(ConnectFailure.HostKeyMismatch,
                    $"The host key of {target.Name} changed (now {seen}); refusing to connect until an operator accepts it.");
            }
            throw ex switch
            {
                SshAuthenticationException => new TargetConnectException(ConnectFailure.AuthFailed, $"Authentication to {target.Name} failed."),
                SocketException or SshOperationTimeoutException or SshConnectionException or OperationCanceledException or TimeoutException =>
                    new TargetConnectException(ConnectFailure.Unreachable, $"Cannot reach {target.Hostname}:{target.Port}: {Describe(ex)}"),
                _ => new TargetConnectException(ConnectFailure.Unreachable, $"Cannot connect to {target.Hostname}:{target.Port}: {ex.GetType().Name}"),
            };
        }
        if (target.PinnedHostKey is null && seen is not null)
        {
            var verdict = await verifyHostKey(seen, ct);
            if (verdict == HostKeyVerdict.Mismatch)
            {
                client.Dispose();
                throw new TargetConnectException(ConnectFailure.HostKeyMismatch,
                    $"The host key of {target.Name} does not match the pinned one; refusing to connect.");
            }
        }
        logger.LogDebug("Connected to {Target} with {Kex}", target.Name, info.CurrentKeyExchangeAlgorithm);
        return (client, seen);
    }

    static string Describe(Exception ex) => ex switch
    {
        SocketException s => s.SocketErrorCode.ToString(),
        SshOperationTimeoutException or TimeoutException or OperationCanceledException => "timed out",
        _ => "connection closed",
    };

    static AuthenticationMethod[] Authentication(CredentialSecret secret)
    {
        var user = secret.Username ?? "";
        if (!string.IsNullOrEmpty(secret.PrivateKey))
        {
            using var keyStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(secret.PrivateKey));
            var key = string.IsNullOrEmpty(secret.Passphrase) ? new PrivateKeyFile(keyStream) : new PrivateKeyFile(keyStream, secret.Passphrase);
            return [new PrivateKeyAuthenticationMethod(user, key)];
        }
        return [new PasswordAuthenticationMethod(user, secret.Password ?? "")];
    }

    public static void PreferKeyExchange(ConnectionInfo info, string preferred)
    {
        var order = preferred.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = info.KeyExchangeAlgorithms.ToList();
        info.KeyExchangeAlgorithms.Clear();
        foreach (var name in order)
        {
            if (all.FirstOrDefault(a => a.Key == name) is { Key: not null } found)
            {
                info.KeyExchangeAlgorithms.Add(found.Key, found.Value);
            }
        }
        foreach (var (name, factory) in all.Where(a => !info.KeyExchangeAlgorithms.ContainsKey(a.Key)))
        {
            info.KeyExchangeAlgorithms.Add(name, factory);
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
