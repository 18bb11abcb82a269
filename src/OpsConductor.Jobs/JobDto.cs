namespace OpsConductor.Jobs;

/// <param name="LastRun">The job's newest run; set in the list (GET /jobs), null when the job never ran and in other answers.</param>
public sealed record JobDto(long Id, string Name, string? Description, IReadOnlyList<JobParameter> Parameters, IReadOnlyList<JobStep> Steps,
    TargetSelector Targets, int? MaxParallelTargets, bool AllowConcurrentRuns, int Retries, int RetryBackoffSeconds,
    IReadOnlyList<JobNotification> Notifications, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    JobLastRun? LastRun = null);
