namespace OpsConductor.Targets;

/// <summary>
/// The pinned host key, whether an operator confirmed it (false: pinned on first use by key authentication, so no
/// password is sent to it yet), and the key the last connection saw.
/// </summary>
public sealed record SshSettingsDto(string? HostKeyFingerprint, string? LastSeenHostKeyFingerprint, bool HostKeyConfirmed);
