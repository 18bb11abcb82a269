using System.Text.Json;

namespace OpsConductor.Shared.Contracts;

/// <summary>A job as the scheduler sees it: enough to validate and describe a schedule.</summary>
/// <param name="SecretParameters">Names of the job's secret parameters: the scheduler keeps their values encrypted and masks them.</param>
public sealed record ScheduledJob(long Id, string Name, IReadOnlyList<string> SecretParameters);

/// <summary>One occurrence of a schedule to start as a run.</summary>
public sealed record ScheduledRunRequest(long JobId, long ScheduleId, string ScheduleName, DateTimeOffset ScheduledFor,
    IReadOnlyDictionary<string, JsonElement> Parameters);

public enum ScheduledRunOutcome
{
    /// <summary>A run is queued for the occurrence (now, or by an earlier call: <see cref="ScheduledRunResult.RunId"/> is that one).</summary>
    Started,

    /// <summary>The job no longer exists.</summary>
    JobMissing,

    /// <summary>The job refuses the parameters (its definition changed since the schedule was saved).</summary>
    Refused,
}

public sealed record ScheduledRunResult(long ScheduleId, DateTimeOffset ScheduledFor, ScheduledRunOutcome Outcome, long? RunId, string? Reason);

/// <summary>A run queued ahead of its time and taken back before it was due.</summary>
public sealed record WithdrawnRun(long ScheduleId, DateTimeOffset ScheduledFor, long RunId);

/// <summary>What the jobs service offers the scheduler: job look-ups, the manual-run parameter rules, and idempotent starts.</summary>
public interface IScheduledRuns
{
    Task<IReadOnlyDictionary<long, ScheduledJob>> FindJobsAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// The errors (field → messages, fields named <c>parameters.NAME</c>) a manual run with these values would get; empty when
    /// valid; null when there is no such job.
    /// </summary>
    Task<IReadOnlyDictionary<string, string[]>?> ValidateParametersAsync(long jobId, IReadOnlyDictionary<string, JsonElement>? values,
        CancellationToken cancellationToken);

    /// <summary>
    /// Queues one run per request with trigger <c>schedule</c>, requested by <c>schedule:NAME</c>. Idempotent: a request for an
    /// occurrence (schedule, scheduledFor) that has a run already answers that run; the database's unique key guarantees it.
    /// </summary>
    Task<IReadOnlyList<ScheduledRunResult>> StartAsync(IReadOnlyList<ScheduledRunRequest> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Takes back the runs queued ahead of their time (scheduledFor after <paramref name="after"/>, still queued) for these
    /// schedules (null: all), or only these runs: the schedule or a blackout window changed before they were due. Returns
    /// the runs withdrawn.
    /// </summary>
    Task<IReadOnlyList<WithdrawnRun>> WithdrawAsync(IReadOnlyCollection<long>? scheduleIds, DateTimeOffset after, CancellationToken cancellationToken,
        IReadOnlyCollection<long>? runIds = null);

    /// <summary>The statuses of these runs (those that still exist).</summary>
    Task<IReadOnlyDictionary<long, RunStatus>> RunStatusesAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken);
}
