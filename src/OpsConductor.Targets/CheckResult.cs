using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

public sealed record CheckResult(bool Reachable, int? LatencyMs, string? OsName, string? OsVersion, string? HostKeyFingerprint, string? Error,
    DateTimeOffset CheckedAt, TargetStatus Status);
