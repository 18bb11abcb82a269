using Microsoft.Extensions.Configuration;

namespace OpsConductor.Jobs;

/// <summary>
/// <c>OpsConductor:Jobs:*</c>, and the run lease the queue hands executors (<c>OpsConductor:Executor:LeaseSeconds</c>,
/// named after the executor that must renew it): read and checked once while the host is built.
/// </summary>
public sealed record JobsOptions
{
    /// <summary>Live run streams (SSE) one user may hold open at once.</summary>
    public int MaxStreamsPerUser { get; init; } = 20;

    /// <summary>Finished runs older than this are deleted; 0 keeps them all.</summary>
    public int RetentionDays { get; init; } = 90;

    /// <summary>How long a claimed run stays an executor's without a heartbeat before another may recover it.</summary>
    public int LeaseSeconds { get; init; } = 30;

    public static JobsOptions From(IConfiguration configuration)
    {
        var options = (configuration.GetSection("OpsConductor:Jobs").Get<JobsOptions>() ?? new JobsOptions()) with
        {
            LeaseSeconds = configuration.GetValue("OpsConductor:Executor:LeaseSeconds", 30),
        };
        if (options.MaxStreamsPerUser < 1)
        {
            throw new InvalidOperationException("OpsConductor:Jobs:MaxStreamsPerUser must be 1 or more.");
        }
        if (options.RetentionDays < 0)
        {
            throw new InvalidOperationException("OpsConductor:Jobs:RetentionDays must be 0 (keep every run) or more.");
        }
        if (options.LeaseSeconds < 1)
        {
            throw new InvalidOperationException("OpsConductor:Executor:LeaseSeconds must be 1 or more.");
        }
        return options;
    }
}
