namespace OpsConductor.Targets;

public sealed record SshSettingsRequest(string? HostKeyFingerprint);
