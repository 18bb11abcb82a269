namespace OpsConductor.Scheduler;

public sealed record BlackoutWindowDto(long Id, string Name, string Timezone, IReadOnlyList<BlackoutPeriod>? Periods, string? Cron,
    int? DurationMinutes, IReadOnlyList<string> Tags, bool AppliesToManualRuns, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
