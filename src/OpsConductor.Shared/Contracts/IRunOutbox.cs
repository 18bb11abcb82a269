namespace OpsConductor.Shared.Contracts;

/// <summary>One run status change waiting to be turned into notifications.</summary>
public sealed record RunOutboxEntry(long Id, long RunId, NotificationEvent Event, DateTimeOffset At);

/// <summary>A job's rule as the run's snapshot of the job had it; <see cref="Index"/> is its place in the job's list.</summary>
public sealed record RunNotificationRule(int Index, NotificationEvent Event, IReadOnlyList<string> Recipients);

/// <summary>A job's name and its rules as the job is defined now.</summary>
public sealed record JobNotificationRules(long JobId, string JobName, IReadOnlyList<RunNotificationRule> Rules);

/// <summary>A target of the run and the last lines of its output (already redacted where they were stored).</summary>
public sealed record RunSummaryTarget(long TargetId, string Name, string Hostname, RunStatus Status, string? Error, IReadOnlyList<string> LastLines);

/// <summary>What a notification tells about a run.</summary>
public sealed record RunSummary(
    long RunId,
    long JobId,
    string JobName,
    RunStatus Status,
    string Trigger,
    string RequestedBy,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    IReadOnlyList<RunSummaryTarget> Targets,
    IReadOnlyList<RunNotificationRule> Rules);

/// <summary>
/// The jobs service's outbox of run status changes (<c>run_outbox</c>, written in the transaction of the change itself).
/// A consumer claims rows under a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>), records what they cause, then
/// completes (deletes) them; rows of a consumer that died return once their lease lapses, so the consumer must be idempotent.
/// </summary>
public interface IRunOutbox
{
    Task<IReadOnlyList<RunOutboxEntry>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken);

    Task CompleteAsync(IReadOnlyCollection<long> entryIds, CancellationToken cancellationToken);

    /// <summary>The run for a notification's template, or null when it does not exist (any more).</summary>
    Task<RunSummary?> GetRunSummaryAsync(long runId, int lastLines, CancellationToken cancellationToken);

    /// <summary>The runs of a batch (a bounded number of queries, not a few per run); a run that does not exist is left out.</summary>
    Task<IReadOnlyDictionary<long, RunSummary>> GetRunSummariesAsync(IReadOnlyCollection<long> runIds, int lastLines, CancellationToken cancellationToken);

    /// <summary>A job's current name and notification rules (for what is not a run: a schedule's missed occurrence), or null.</summary>
    Task<JobNotificationRules?> GetJobRulesAsync(long jobId, CancellationToken cancellationToken);
}
