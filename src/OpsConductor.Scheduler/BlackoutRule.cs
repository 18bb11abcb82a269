using System.Text.Json;
using Cronos;

namespace OpsConductor.Scheduler;

/// <summary>A saved blackout window, parsed: when it is in force and what it applies to.</summary>
public sealed class BlackoutRule
{
    /// <summary>Recurring windows and calendars list at most this many intervals each, so a minutely cron cannot flood an answer.</summary>
    public const int MaxIntervals = 1000;

    public required long Id { get; init; }
    public required string Name { get; init; }
    public required TimeZoneInfo Zone { get; init; }
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Periods { get; init; } = [];
    public CronExpression? Cron { get; init; }
    public TimeSpan Duration { get; init; }
    public IReadOnlySet<string> Tags { get; init; } = new HashSet<string>();
    public bool AppliesToManualRuns { get; init; }

    public static BlackoutRule? From(BlackoutWindow w)
    {
        var zone = FireTimes.FindZone(w.TimeZone);
        if (zone is null)
        {
            return null;
        }
        var periods = new List<(DateTimeOffset, DateTimeOffset)>();
        foreach (var p in w.PeriodsJson is null ? [] : JsonSerializer.Deserialize<List<BlackoutPeriod>>(w.PeriodsJson) ?? [])
        {
            if (FireTimes.TryParseLocal(p.Start, out var s) && FireTimes.TryParseLocal(p.End, out var e))
            {
                periods.Add((FireTimes.ToUtc(s, zone), FireTimes.ToUtc(e, zone)));
            }
        }
        return new BlackoutRule
        {
            Id = w.Id,
            Name = w.Name,
            Zone = zone,
            Periods = periods,
            Cron = w.Cron is null ? null : FireTimes.ParseCron(w.Cron, out _),
            Duration = TimeSpan.FromMinutes(w.DurationMinutes ?? 0),
            Tags = (JsonSerializer.Deserialize<List<string>>(w.TagsJson) ?? []).ToHashSet(),
            AppliesToManualRuns = w.AppliesToManualRuns,
        };
    }

    /// <summary>Whether the window covers schedules with these tags: a window without tags covers every schedule.</summary>
    public bool AppliesTo(IEnumerable<string> tags) => Tags.Count == 0 || tags.Any(Tags.Contains);

    /// <summary>Whether the window is in force at the instant.</summary>
    public bool Covers(DateTimeOffset at)
    {
        if (Periods.Any(p => p.Start <= at && at < p.End))
        {
            return true;
        }
        if (Cron is null || Duration <= TimeSpan.Zero)
        {
            return false;
        }
        // Some start in (at - duration, at] keeps the window open at this instant.
        return Cron.GetNextOccurrence(at - Duration, Zone, inclusive: false) is { } start && start <= at;
    }

    /// <summary>When the stretch of the window in force at the instant ends; null when the window does not cover it.</summary>
    public DateTimeOffset? InForceUntil(DateTimeOffset at) =>
        Intervals(at, at.AddTicks(1)).FirstOrDefault(i => i.Start <= at && at < i.End)?.End;

    /// <summary>When the window is in force between the two instants, merged where intervals touch or overlap.</summary>
    public IReadOnlyList<BlackoutInterval> Intervals(DateTimeOffset from, DateTimeOffset to)
    {
        var raw = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        raw.AddRange(Periods.Where(p => p.End > from && p.Start < to));
        if (Cron is not null && Duration > TimeSpan.Zero)
        {
            foreach (var start in Cron.GetOccurrences(from - Duration, to, Zone, fromInclusive: false, toInclusive: false))
            {
                raw.Add((start.ToUniversalTime(), start.ToUniversalTime() + Duration));
                if (raw.Count >= MaxIntervals)
                {
                    break;
                }
            }
        }
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var (s, e) in raw.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && s <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, e > merged[^1].End ? e : merged[^1].End);
            }
            else
            {
                merged.Add((s, e));
            }
        }
        return merged.Take(MaxIntervals)
            .Select(m => new BlackoutInterval(m.Start, m.End, FireTimes.ToLocal(m.Start, Zone), FireTimes.ToLocal(m.End, Zone))).ToList();
    }
}
