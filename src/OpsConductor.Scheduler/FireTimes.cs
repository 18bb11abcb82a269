using System.Globalization;
using Cronos;

namespace OpsConductor.Scheduler;

/// <summary>
/// Cron and one-time fire times in a schedule's IANA zone, through Cronos. Daylight saving: a local time that does not
/// exist fires once, at the transition; one that occurs twice fires once (at its first occurrence) — Cronos's rules,
/// which a one-time <c>runAt</c> follows too.
/// </summary>
public static class FireTimes
{
    public const string LocalFormat = "yyyy-MM-ddTHH:mm:ss";

    static readonly string[] LocalFormats = ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"];

    /// <summary>5 fields (minute first), or 6 with a leading seconds field; null and the reason when it is not valid.</summary>
    public static CronExpression? ParseCron(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "cron is empty.";
            return null;
        }
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6) && !text.TrimStart().StartsWith('@'))
        {
            error = $"A cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds; this one has {fields}.";
            return null;
        }
        try
        {
            return CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            error = $"Invalid cron expression: {ex.Message}";
            return null;
        }
    }

    /// <summary>The IANA zone (or UTC); null when there is no such zone.</summary>
    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            // Windows ids are found too (converted); the API speaks IANA only.
            return zone.HasIanaId ? zone : null;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>A local date-time without offset, as <c>runAt</c> and blackout periods are given.</summary>
    public static bool TryParseLocal(string? text, out DateTime local)
    {
        if (text is not null && DateTime.TryParseExact(text.Trim(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            return true;
        }
        local = default;
        return false;
    }

    public static string FormatLocal(DateTime local) => local.ToString(LocalFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant of a local time in the zone: a time in a spring-forward gap is the transition itself (as Cronos fires a
    /// cron time there); an ambiguous time is its first occurrence (the offset before the clocks go back).
    /// </summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Walk to the first valid local minute after the gap: that is the transition instant.
            var probe = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(probe))
            {
                probe = probe.AddMinutes(1);
            }
            return new DateTimeOffset(probe, zone.GetUtcOffset(probe)).ToUniversalTime();
        }
        if (zone.IsAmbiguousTime(local))
        {
            var first = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, first).ToUniversalTime();
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The local wall-clock time (with its offset) of an instant in the zone.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone);

    /// <summary>The first fire time strictly after <paramref name="after"/>, in UTC (Cronos answers in the zone's offset).</summary>
    public static DateTimeOffset? Next(CronExpression cron, TimeZoneInfo zone, DateTimeOffset after) =>
        cron.GetNextOccurrence(after, zone)?.ToUniversalTime();

    /// <summary>The next <paramref name="count"/> fire times strictly after <paramref name="after"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Upcoming(CronExpression cron, TimeZoneInfo zone, DateTimeOffset after, int count)
    {
        var result = new List<DateTimeOffset>(count);
        var t = after;
        while (result.Count < count && Next(cron, zone, t) is { } next)
        {
            result.Add(next);
            t = next;
        }
        return result;
    }
}
