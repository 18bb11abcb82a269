namespace OpsConductor.Scheduler;

/// <summary>When each blackout window is in force from now on, merged intervals per window.</summary>
public sealed record BlackoutCalendar(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<BlackoutCalendarWindow> Windows);

public sealed record BlackoutCalendarWindow(long WindowId, string Name, string Timezone, IReadOnlyList<string> Tags, IReadOnlyList<BlackoutInterval> Intervals);
