namespace OpsConductor.Scheduler;

/// <summary>One occurrence of a schedule: fired (with its run), skipped (reason: the blackout window), missed, failed or pending.</summary>
public sealed record OccurrenceDto(long Id, long ScheduleId, DateTimeOffset ScheduledFor, OccurrenceStatus Status, long? RunId, string? Reason,
    DateTimeOffset RecordedAt);
