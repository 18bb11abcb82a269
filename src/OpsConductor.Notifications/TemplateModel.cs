using System.Globalization;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

/// <summary>
/// What a template sees: <c>event</c>, <c>job</c>, <c>run</c>, <c>schedule</c>, <c>targets</c> and <c>failedTargets</c>, as plain
/// dictionaries and lists (the shape <see cref="TemplateFields"/> checks templates against). Times are UTC text, durations
/// "1m 05s". A run's message has an empty <c>schedule</c>; a missed occurrence's has an empty <c>run</c> and no targets.
/// </summary>
public static class TemplateModel
{
    public static IReadOnlyDictionary<string, object?> From(MissedOccurrence occurrence, int missedCount, long jobId, string jobName, string publicUrl) =>
        new Dictionary<string, object?>
        {
            ["event"] = SnakeCaseEnumConverter<NotificationEvent>.ToText(NotificationEvent.Missed),
            ["job"] = new Dictionary<string, object?> { ["id"] = jobId, ["name"] = jobName },
            ["run"] = EmptyRun,
            ["schedule"] = new Dictionary<string, object?>
            {
                ["id"] = occurrence.ScheduleId,
                ["name"] = occurrence.ScheduleName,
                ["url"] = $"{publicUrl}/schedules/{occurrence.ScheduleId}",
                ["timeZone"] = occurrence.TimeZone,
                ["dueAt"] = Time(occurrence.ScheduledFor),
                ["dueAtLocal"] = LocalTime(occurrence.ScheduledFor, occurrence.TimeZone),
                ["reason"] = occurrence.Reason ?? "",
                ["missedCount"] = missedCount,
            },
            ["targets"] = new List<object?>(),
            ["failedTargets"] = new List<object?>(),
        };

    static readonly Dictionary<string, object?> EmptyRun = new()
    {
        ["id"] = "",
        ["status"] = "",
        ["trigger"] = "",
        ["requestedBy"] = "",
        ["url"] = "",
        ["queuedAt"] = "",
        ["startedAt"] = "",
        ["finishedAt"] = "",
        ["duration"] = "",
        ["error"] = "",
        ["targetCount"] = 0,
        ["failedCount"] = 0,
    };

    static readonly Dictionary<string, object?> NoSchedule = new()
    {
        ["id"] = "",
        ["name"] = "",
        ["url"] = "",
        ["timeZone"] = "",
        ["dueAt"] = "",
        ["dueAtLocal"] = "",
        ["reason"] = "",
        ["missedCount"] = 0,
    };

    public static IReadOnlyDictionary<string, object?> From(RunSummary run, NotificationEvent @event, string publicUrl)
    {
        var targets = run.Targets.Select(Target).ToList();
        var failed = run.Targets.Where(t => t.Status is RunStatus.Failed or RunStatus.TimedOut or RunStatus.Cancelled).Select(Target).ToList();
        return new Dictionary<string, object?>
        {
            ["event"] = SnakeCaseEnumConverter<NotificationEvent>.ToText(@event),
            ["job"] = new Dictionary<string, object?> { ["id"] = run.JobId, ["name"] = run.JobName },
            ["run"] = new Dictionary<string, object?>
            {
                ["id"] = run.RunId,
                ["status"] = SnakeCaseEnumConverter<RunStatus>.ToText(run.Status),
                ["trigger"] = run.Trigger,
                ["requestedBy"] = run.RequestedBy,
                ["url"] = $"{publicUrl}/runs/{run.RunId}",
                ["queuedAt"] = Time(run.QueuedAt),
                ["startedAt"] = Time(run.StartedAt),
                ["finishedAt"] = Time(run.FinishedAt),
                ["duration"] = Duration(run.StartedAt, run.FinishedAt),
                ["error"] = run.Error ?? "",
                ["targetCount"] = run.Targets.Count,
                ["failedCount"] = failed.Count,
            },
            ["schedule"] = NoSchedule,
            ["targets"] = targets,
            ["failedTargets"] = failed,
        };
    }

    static Dictionary<string, object?> Target(RunSummaryTarget t) => new()
    {
        ["id"] = t.TargetId,
        ["name"] = t.Name,
        ["hostname"] = t.Hostname,
        ["status"] = SnakeCaseEnumConverter<RunStatus>.ToText(t.Status),
        ["error"] = t.Error ?? "",
        ["lastLines"] = t.LastLines.ToList(),
    };

    static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary>The instant in the schedule's time zone, with the zone; the UTC text when the zone is unknown here.</summary>
    static string LocalTime(DateTimeOffset at, string timeZone)
    {
        try
        {
            var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
            return $"{local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {timeZone} (UTC{local.ToString("zzz", CultureInfo.InvariantCulture)})";
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Time(at);
        }
    }

    public static string Duration(DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
    {
        if (startedAt is not { } start || finishedAt is not { } end || end < start)
        {
            return "";
        }
        var d = end - start;
        return d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes:00}m {d.Seconds:00}s"
            : d.TotalMinutes >= 1 ? $"{d.Minutes}m {d.Seconds:00}s"
            : $"{d.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s";
    }
}
