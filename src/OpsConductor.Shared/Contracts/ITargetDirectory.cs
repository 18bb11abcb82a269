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
}

public enum HostKeyVerdict
{
    /// <summary>The key is the pinned one.</summary>
    Trusted,

    /// <summary>No key was pinned; this one is now (trust on first use).</summary>
    PinnedNow,

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
    bool WinRmVerifyCertificate);

public sealed record TargetResolution(IReadOnlyList<TargetConnection> Targets, IReadOnlyList<long> MissingIds);

/// <summary>What the targets service tells other services (the executor) about the inventory.</summary>
public interface ITargetDirectory
{
    /// <summary>The union of the targets with these ids and the targets with any of these tags, each once, ordered by name.</summary>
    Task<TargetResolution> ResolveAsync(IReadOnlyCollection<long> ids, IReadOnlyCollection<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a host key seen while connecting (OpenSSH form, <c>SHA256:base64</c>) against the pinned one,
    /// pinning it when none is; a mismatch sets the target's status to <c>host_key_mismatch</c>.
    /// </summary>
    Task<HostKeyVerdict> VerifyHostKeyAsync(long targetId, string fingerprint, CancellationToken cancellationToken);
}
