using OpsConductor.Shared.Contracts;

namespace OpsConductor.Jobs;

/// <summary>A job's newest run (the highest id), as the jobs list shows it: its status and when it was queued and finished.</summary>
public sealed record JobLastRun(long Id, RunStatus Status, DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt);
