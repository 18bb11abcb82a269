namespace OpsConductor.Targets;

public sealed record SshSettingsDto(string? HostKeyFingerprint, string? LastSeenHostKeyFingerprint);
