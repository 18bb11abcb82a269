using Microsoft.Extensions.Configuration;

namespace OpsConductor.Scheduler;

/// <summary><c>OpsConductor:Scheduler:*</c>, read and checked once while the host is built.</summary>
public sealed record SchedulerOptions
{
    /// <summary>An occurrence late by at most this much (the scheduler was down) still fires once on recovery; older ones are recorded missed.</summary>
    public int MisfireGraceSeconds { get; init; } = 300;

    /// <summary>
    /// Lateness that is no misfire (a busy scheduler, a slow database): every occurrence late by at most this much fires.
    /// Beyond it only the latest occurrence within <see cref="MisfireGraceSeconds"/> does.
    /// </summary>
    public int LateToleranceSeconds { get; init; } = 5;

    /// <summary>How often the worker looks for due schedules (it is also woken when a schedule changes in this process).</summary>
    public int TickMilliseconds { get; init; } = 1000;

    /// <summary>
    /// Runs are queued this long before their time (an executor starts them at it), so that a burst of occurrences due at
    /// the same second is written ahead instead of after it. Editing, pausing or deleting a schedule, or changing a blackout
    /// window, withdraws the runs queued ahead for it (<see cref="SchedulerGate"/> keeps that apart from the rounds of every
    /// scheduler process); a job edited in this window runs as it was when queued. 0: at their time.
    /// </summary>
    public int LookaheadSeconds { get; init; } = 10;

    /// <summary>Schedules claimed per transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>After a long downtime only the newest this many missed occurrences of a schedule are recorded (the log gives the count).</summary>
    public int MissedRecordLimit { get; init; } = 100;

    public static SchedulerOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("OpsConductor:Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (options.MisfireGraceSeconds < 0)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:MisfireGraceSeconds must be 0 or more.");
        }
        if (options.LateToleranceSeconds < 0 || options.LateToleranceSeconds > options.MisfireGraceSeconds)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:LateToleranceSeconds must be between 0 and MisfireGraceSeconds.");
        }
        if (options.TickMilliseconds is < 50 or > 60_000)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:TickMilliseconds must be between 50 and 60000.");
        }
        if (options.LookaheadSeconds is < 0 or > 60)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:LookaheadSeconds must be between 0 and 60.");
        }
        if (options.BatchSize is < 1 or > 10_000)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:BatchSize must be between 1 and 10000.");
        }
        if (options.MissedRecordLimit is < 1 or > 10_000)
        {
            throw new InvalidOperationException("OpsConductor:Scheduler:MissedRecordLimit must be between 1 and 10000.");
        }
        return options;
    }
}
