namespace OpsConductor.Shared.Contracts;

/// <summary>A blackout window that refuses manual runs of a job right now.</summary>
/// <param name="Until">When the window's current stretch ends (UTC); null when it cannot be told.</param>
public sealed record ManualRunBlock(long WindowId, string WindowName, DateTimeOffset? Until = null);

/// <summary>What the scheduler tells the jobs service before a manual run: whether a blackout window refuses it.</summary>
public interface IManualRunGate
{
    /// <summary>
    /// The window (with <c>appliesToManualRuns</c>) in force now that covers the job: one without tags covers every job, one
    /// with tags the jobs whose schedules carry one of them. Null when none does.
    /// </summary>
    Task<ManualRunBlock?> BlockingWindowAsync(long jobId, CancellationToken cancellationToken);
}
