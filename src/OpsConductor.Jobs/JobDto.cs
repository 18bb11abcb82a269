namespace OpsConductor.Jobs;

public sealed record JobDto(long Id, string Name, string? Description, IReadOnlyList<JobParameter> Parameters, IReadOnlyList<JobStep> Steps,
    TargetSelector Targets, int? MaxParallelTargets, bool AllowConcurrentRuns, int Retries, int RetryBackoffSeconds,
    IReadOnlyList<JobNotification> Notifications, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
