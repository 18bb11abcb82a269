using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor.Sessions;

/// <summary>Opens sessions of one protocol; <see cref="TargetSessions"/> picks the opener by the target's connection.</summary>
public interface ITargetSessionOpener
{
    ConnectionType Connection { get; }

    /// <summary>Connects and authenticates; throws <see cref="TargetConnectException"/>.</summary>
    Task<OpenedSession> OpenAsync(TargetConnection target, CredentialSecret secret, Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey,
        CancellationToken ct);
}
