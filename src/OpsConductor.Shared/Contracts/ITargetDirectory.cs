namespace OpsConductor.Shared.Contracts;

public enum OsType
{
    Linux,
    Windows,
}

public enum ConnectionType
{
    Ssh,
    Winrm,
}

public enum TargetStatus
{
    Unknown,
    Healthy,
    Unreachable,
    AuthFailed,
    HostKeyMismatch,

    /// <summary>
    /// The credential is a password and no operator confirmed the host key (none is pinned, or it was pinned on first use
    /// by key authentication): an operator must confirm the fingerprint first.
    /// </summary>
    HostKeyUnconfirmed,

    /// <summary>
    /// WinRM over HTTPS: the listener's certificate failed verification or is not the pinned thumbprint, so nothing
    /// (no credential) was sent. Fix the trust store or the pin; it is never bypassed.
    /// </summary>
    CertificateRejected,
}

public enum HostKeyVerdict
{
    /// <summary>The key is the pinned one, and an operator confirmed it (given at registration or accepted).</summary>
    Trusted,

    /// <summary>
    /// The key is the pinned one, but it was pinned on first use after key authentication: no operator compared it.
    /// Key authentication may go on; a password is never sent to it until an operator accepts the fingerprint.
    /// </summary>
    PinnedUnconfirmed,

    /// <summary>
    /// No key is pinned. Key authentication may go on (it reveals no secret) and pins the key once it succeeds;
    /// a password is never sent to such a host.
    /// </summary>
    FirstUse,

    /// <summary>The key differs from the pinned one: do not connect.</summary>
    Mismatch,
}

/// <summary>How to reach one target; what the executor needs and nothing more.</summary>
public sealed record TargetConnection(
    long Id,
    string Name,
    string Hostname,
    int Port,
    OsType OsType,
    ConnectionType Connection,
    long CredentialId,
    string? PinnedHostKey,
    bool WinRmUseHttps,
    bool WinRmVerifyCertificate,
    string? WinRmCertificateThumbprint = null,
    bool HostKeyConfirmed = false,
    TargetStatus? Status = null);

public sealed record TargetResolution(IReadOnlyList<TargetConnection> Targets, IReadOnlyList<long> MissingIds);

/// <summary>What the targets service tells other services (the executor) about the inventory.</summary>
public interface ITargetDirectory
{
    /// <summary>The union of the targets with these ids and the targets with any of these tags, each once, ordered by name.</summary>
    Task<TargetResolution> ResolveAsync(IReadOnlyCollection<long> ids, IReadOnlyCollection<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a host key seen while connecting (OpenSSH form, <c>SHA256:base64</c>) against the pinned one and records
    /// it as the last seen; it pins nothing. A mismatch sets the target's status to <c>host_key_mismatch</c>.
    /// </summary>
    Task<HostKeyVerdict> VerifyHostKeyAsync(long targetId, string fingerprint, CancellationToken cancellationToken);

    /// <summary>Pins a first-use host key after authentication to it succeeded, when the target still has none.</summary>
    Task PinAuthenticatedHostKeyAsync(long targetId, string fingerprint, CancellationToken cancellationToken);

    /// <summary>
    /// A run could not open a session on the target (not reachable, authentication refused, host key or certificate
    /// not trusted): the target's status becomes <paramref name="status"/> with <paramref name="reason"/> as its last
    /// error, and a change is recorded in its status history, as a check finding the same would. A healthy status is
    /// ignored: <see cref="ReportReachedAsync"/> says that.
    /// </summary>
    Task ReportConnectFailureAsync(long targetId, TargetStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// A run opened a session on the target (whatever its commands then exit with): a target not marked healthy
    /// becomes healthy, its last error cleared, with <paramref name="reason"/> (which run reached it) in its status
    /// history, as a check that connected would. A target already healthy is not written: one history entry per
    /// change, not per run.
    /// </summary>
    Task ReportReachedAsync(long targetId, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// The host-key rule for every SSH connection (check, health sweep, executor): no pinned key is a first use (pinned after
/// key authentication succeeds; never a password, see SshConnector); a pinned key trusts fully only once an operator
/// confirmed it; a different key is refused.
/// </summary>
public static class HostKeyPinning
{
    public static HostKeyVerdict Verify(string? pinned, bool confirmed, string seen) =>
        pinned is null ? HostKeyVerdict.FirstUse
        : !string.Equals(pinned, seen, StringComparison.Ordinal) ? HostKeyVerdict.Mismatch
        : confirmed ? HostKeyVerdict.Trusted
        : HostKeyVerdict.PinnedUnconfirmed;

    /// <summary>Whether a password may be sent to a host whose key got this verdict.</summary>
    public static bool MaySendPassword(HostKeyVerdict verdict) => verdict == HostKeyVerdict.Trusted;

    /// <summary>Whether the connection may go on at all (with key authentication when the key is not confirmed).</summary>
    public static bool MayConnect(HostKeyVerdict verdict) => verdict != HostKeyVerdict.Mismatch;
}
