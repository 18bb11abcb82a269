namespace OpsConductor.Scheduler;

/// <summary>The next fire times of a schedule, saved or not.</summary>
public sealed record SchedulePreview(string Timezone, IReadOnlyList<FireTimeDto> Items);
