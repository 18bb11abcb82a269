namespace OpsConductor.Scheduler;

/// <summary>A one-off blackout period: local date-times (<c>yyyy-MM-ddTHH:mm[:ss]</c>) in the window's zone, end exclusive.</summary>
public sealed record BlackoutPeriod(string? Start, string? End);
