using Cronos;

namespace OpsConductor.Scheduler;

/// <summary>When a schedule fires: a cron expression or one local date-time, in a zone.</summary>
public sealed record ScheduleTiming(CronExpression? Cron, DateTimeOffset? RunAtUtc, TimeZoneInfo Zone)
{
    /// <summary>The first fire time strictly after <paramref name="after"/> (a one-time schedule's, when it is still ahead).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        Cron is not null ? FireTimes.Next(Cron, Zone, after) : RunAtUtc > after ? RunAtUtc : null;

    public static ScheduleTiming? From(Schedule schedule)
    {
        var zone = FireTimes.FindZone(schedule.TimeZone);
        if (zone is null)
        {
            return null;
        }
        if (schedule.Cron is not null)
        {
            return FireTimes.ParseCron(schedule.Cron, out _) is { } cron ? new ScheduleTiming(cron, null, zone) : null;
        }
        return FireTimes.TryParseLocal(schedule.RunAt, out var local) ? new ScheduleTiming(null, FireTimes.ToUtc(local, zone), zone) : null;
    }
}
