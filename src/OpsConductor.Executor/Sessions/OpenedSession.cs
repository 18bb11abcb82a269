namespace OpsConductor.Executor.Sessions;

/// <summary>
/// A session and, for SSH, the host key that authentication just succeeded to when the target had none pinned
/// (for the caller to pin).
/// </summary>
public sealed record OpenedSession(ITargetSession Session, string? FirstUseHostKey = null);
