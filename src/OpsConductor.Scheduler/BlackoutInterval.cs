namespace OpsConductor.Scheduler;

/// <summary>A time a blackout window is in force: <c>[start, end)</c> in UTC, and the same in the window's zone.</summary>
public sealed record BlackoutInterval(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset LocalStart, DateTimeOffset LocalEnd);
