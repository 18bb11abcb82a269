using Microsoft.Extensions.Logging;
using OpsConductor.Executor.Sessions;
using OpsConductor.Remoting.Ssh;
using OpsConductor.Shared.Contracts;
using Renci.SshNet;

namespace OpsConductor.Executor.Ssh;

/// <summary>Opens SSH sessions with the shared <see cref="SshConnector"/>: host key pinned, never skipped.</summary>
public sealed class SshSessionOpener(SshConnector connector, ExecutorOptions options, ILogger<SshSessionOpener> logger) : ITargetSessionOpener
{
    public ConnectionType Connection => ConnectionType.Ssh;

    public async Task<OpenedSession> OpenAsync(TargetConnection target, CredentialSecret secret,
        Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        // The pinned key is known here: a match needs no database call inside the key exchange.
        Task<HostKeyVerdict> Verify(string seen, CancellationToken token) =>
            target.PinnedHostKey is { } pinned && string.Equals(pinned, seen, StringComparison.Ordinal)
                ? Task.FromResult(HostKeyPinning.Verify(pinned, target.HostKeyConfirmed, seen))
                : verifyHostKey(seen, token);
        try
        {
            var session = await connector.ConnectAsync(target, secret, Verify, TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), ct);
            logger.LogDebug("Connected to {Target} with {Kex}", target.Name, session.Client.ConnectionInfo.CurrentKeyExchangeAlgorithm);
            return new OpenedSession(new SshTargetSession(session.Client, target),
                session.HostKeyVerdict == HostKeyVerdict.FirstUse ? session.HostKeyFingerprint : null);
        }
        catch (SshConnectException ex)
        {
            throw new TargetConnectException(ex.Kind switch
            {
                SshFailureKind.AuthFailed => TargetConnectFailure.AuthFailed,
                SshFailureKind.HostKeyMismatch => TargetConnectFailure.HostKeyMismatch,
                SshFailureKind.HostKeyUnconfirmed => TargetConnectFailure.HostKeyUnconfirmed,
                _ => TargetConnectFailure.Unreachable,
            }, ex.Message);
        }
        catch (InvalidPrivateKeyException ex)
        {
            throw new TargetConnectException(TargetConnectFailure.AuthFailed, ex.Message);
        }
    }
}
