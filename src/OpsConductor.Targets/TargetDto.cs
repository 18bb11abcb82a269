using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

public sealed record TargetDto(long Id, string Name, string Hostname, int Port, OsType OsType, ConnectionType Connection, long CredentialId,
    IReadOnlyList<string> Tags, string? Description, WinRmSettings? Winrm, SshSettingsDto? Ssh, TargetStatus Status,
    DateTimeOffset? StatusChangedAt, string? LastError, DateTimeOffset? LastCheckedAt, int? LatencyMs, string? OsName, string? OsVersion,
    string? Kernel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
