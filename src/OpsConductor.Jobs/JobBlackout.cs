namespace OpsConductor.Jobs;

/// <summary>A blackout window that refuses manual runs of a job now (the scheduler's answer, through <c>IManualRunGate</c>).</summary>
/// <param name="Until">When the window's current stretch ends (UTC); null when it cannot be told.</param>
public sealed record JobBlackout(long Id, string Name, DateTimeOffset? Until);
