using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

public sealed record TargetRequest(string? Name, string? Hostname, int? Port, OsType? OsType, ConnectionType? Connection, long? CredentialId,
    IReadOnlyList<string>? Tags, string? Description, WinRmSettingsRequest? Winrm, SshSettingsRequest? Ssh);
