namespace OpsConductor.Scheduler;

/// <summary>
/// A blackout window: one-off <c>periods</c>, or a recurring <c>cron</c> start with <c>durationMinutes</c>, in <c>timezone</c>.
/// <c>tags</c> limits it to schedules with one of them (none: every schedule); <c>appliesToManualRuns</c> also refuses manual runs.
/// </summary>
public sealed record BlackoutWindowRequest(string? Name, string? Timezone = null, IReadOnlyList<BlackoutPeriod>? Periods = null, string? Cron = null,
    int? DurationMinutes = null, IReadOnlyList<string>? Tags = null, bool AppliesToManualRuns = false);
