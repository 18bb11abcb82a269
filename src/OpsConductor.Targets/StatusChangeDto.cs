using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

public sealed record StatusChangeDto(long Id, long TargetId, TargetStatus Status, TargetStatus PreviousStatus, string? Error, DateTimeOffset ChangedAt);
