namespace OpsConductor.Scheduler;

/// <summary>A coming fire time: UTC, and the wall-clock time (with offset) in the schedule's zone; skipped when a blackout window covers it.</summary>
public sealed record FireTimeDto(DateTimeOffset At, DateTimeOffset Local, SkippedBy? Skipped);

public sealed record SkippedBy(long WindowId, string Window);
