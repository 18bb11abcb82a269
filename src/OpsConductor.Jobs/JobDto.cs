namespace OpsConductor.Jobs;

/// <param name="LastRun">The job's newest run; set in the list (GET /jobs), null when the job never ran and in other answers.</param>
/// <param name="ActiveBlackout">The blackout window refusing manual runs of the job now; set in GET /jobs/{id}, null when none does
/// and in other answers. An admin may still run with overrideBlackout: true.</param>
public sealed record JobDto(long Id, string Name, string? Description, IReadOnlyList<JobParameter> Parameters, IReadOnlyList<JobStep> Steps,
    TargetSelector Targets, int? MaxParallelTargets, bool AllowConcurrentRuns, int Retries, int RetryBackoffSeconds,
    IReadOnlyList<JobNotification> Notifications, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    JobLastRun? LastRun = null, JobBlackout? ActiveBlackout = null);
