using Microsoft.Extensions.Time.Testing;
using OpsConductor.Scheduler;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>What a claim records after the scheduler was down: the latest occurrence within grace fires, older ones are missed, never a burst.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class FirePlanTests
{
    static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    static ScheduleTiming EveryMinute => new(FireTimes.ParseCron("* * * * *", out _), null, TimeZoneInfo.Utc);

    [Fact]
    public void On_time_the_due_occurrence_fires_and_the_next_is_a_minute_later()
    {
        var clock = new FakeTimeProvider(Start.AddMilliseconds(300));
        var plan = FirePlan.Make(EveryMinute, Start, clock.GetUtcNow(), Grace, 100, _ => null);
        Assert.Equal(new PlannedOccurrence(Start, OccurrenceStatus.Pending, null), Assert.Single(plan.Occurrences));
        Assert.Equal(Start.AddMinutes(1), plan.NextFireAt);
        Assert.Null(plan.DisableReason);
    }

    [Fact]
    public void Back_within_grace_only_the_latest_fires_and_the_rest_are_missed()
    {
        var clock = new FakeTimeProvider(Start);
        clock.Advance(TimeSpan.FromMinutes(3).Add(TimeSpan.FromSeconds(20)));
        var plan = FirePlan.Make(EveryMinute, Start, clock.GetUtcNow(), Grace, 100, _ => null);
        Assert.Equal(Start.AddMinutes(3), plan.Firing!.ScheduledFor);
        Assert.Equal(3, plan.Occurrences.Count(o => o.Status == OccurrenceStatus.Missed));
        Assert.Equal(3, plan.MissedTotal);
        Assert.Equal(Start.AddMinutes(4), plan.NextFireAt);
    }

    [Fact]
    public void Back_after_a_long_outage_nothing_fires_late_and_only_the_newest_misses_are_recorded()
    {
        var clock = new FakeTimeProvider(Start);
        clock.Advance(TimeSpan.FromHours(4.5));
        var hourly = new ScheduleTiming(FireTimes.ParseCron("0 * * * *", out _), null, TimeZoneInfo.Utc);
        var plan = FirePlan.Make(hourly, Start, clock.GetUtcNow(), Grace, 3, _ => null);
        Assert.Null(plan.Firing);
        Assert.Equal(5, plan.MissedTotal);
        Assert.Equal([Start.AddHours(2), Start.AddHours(3), Start.AddHours(4)], plan.Occurrences.Select(o => o.ScheduledFor));
        Assert.All(plan.Occurrences, o => Assert.Equal(OccurrenceStatus.Missed, o.Status));
        Assert.Equal(Start.AddHours(5), plan.NextFireAt);
    }

    [Fact]
    public void A_busy_scheduler_a_little_late_fires_every_occurrence_within_the_tolerance()
    {
        var clock = new FakeTimeProvider(Start);
        clock.Advance(TimeSpan.FromSeconds(2.5));
        var everySecond = new ScheduleTiming(FireTimes.ParseCron("* * * * * *", out _), null, TimeZoneInfo.Utc);
        var plan = FirePlan.Make(everySecond, Start, clock.GetUtcNow(), clock.GetUtcNow(), Grace, TimeSpan.FromSeconds(5), 100, _ => null);
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2)], plan.Occurrences.Select(o => o.ScheduledFor));
        Assert.All(plan.Occurrences, o => Assert.Equal(OccurrenceStatus.Pending, o.Status));
        Assert.Equal(0, plan.MissedTotal);
    }

    [Fact]
    public void Looking_ahead_the_occurrences_up_to_the_horizon_are_queued_on_time_and_the_next_is_after_it()
    {
        var now = Start.AddSeconds(-10);
        var everyFiveSeconds = new ScheduleTiming(FireTimes.ParseCron("*/5 * * * * *", out _), null, TimeZoneInfo.Utc);
        var plan = FirePlan.Make(everyFiveSeconds, now, now, Start.AddSeconds(2), Grace, TimeSpan.FromSeconds(5), 100, _ => null);
        Assert.Equal([now, now.AddSeconds(5), Start], plan.Occurrences.Select(o => o.ScheduledFor));
        Assert.All(plan.Occurrences, o => Assert.Equal(OccurrenceStatus.Pending, o.Status));
        Assert.Equal(0, plan.MissedTotal);
        Assert.Equal(Start.AddSeconds(5), plan.NextFireAt);
    }

    [Fact]
    public void A_blackout_skips_the_occurrence_with_the_window_name()
    {
        var plan = FirePlan.Make(EveryMinute, Start, Start, Grace, 100, _ => "change freeze");
        Assert.Equal(new PlannedOccurrence(Start, OccurrenceStatus.Skipped, "change freeze"), Assert.Single(plan.Occurrences));
        Assert.Null(plan.LastFireAt);
    }

    [Fact]
    public void A_one_time_schedule_fires_once_and_disables_itself()
    {
        var once = new ScheduleTiming(null, Start, FireTimes.FindZone("Europe/Berlin")!);
        var plan = FirePlan.Make(once, Start, Start.AddSeconds(1), Grace, 100, _ => null);
        Assert.Equal(Start, plan.Firing!.ScheduledFor);
        Assert.Null(plan.NextFireAt);
        Assert.Equal("A one-time schedule: it fired at 2026-06-01T14:00:00 (Europe/Berlin).", plan.DisableReason);
    }

    [Fact]
    public void Recurring_blackouts_cover_their_duration_and_merge_in_the_calendar()
    {
        var window = new BlackoutRule
        {
            Id = 1,
            Name = "office hours",
            Zone = FireTimes.FindZone("Europe/Berlin")!,
            Cron = FireTimes.ParseCron("0 8 * * 1-5", out _),
            Duration = TimeSpan.FromHours(10),
        };
        // Monday 2026-06-01: 08:00-18:00 CEST is 06:00-16:00 UTC.
        Assert.False(window.Covers(new DateTimeOffset(2026, 6, 1, 5, 59, 0, TimeSpan.Zero)));
        Assert.True(window.Covers(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero)));
        Assert.True(window.Covers(new DateTimeOffset(2026, 6, 1, 15, 59, 0, TimeSpan.Zero)));
        Assert.False(window.Covers(new DateTimeOffset(2026, 6, 1, 16, 0, 0, TimeSpan.Zero)));
        Assert.False(window.Covers(new DateTimeOffset(2026, 6, 6, 10, 0, 0, TimeSpan.Zero)));
        var week = window.Intervals(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 8, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(5, week.Count);
        Assert.Equal(8, week[0].LocalStart.Hour);

        var always = new BlackoutRule { Id = 2, Name = "overlap", Zone = TimeZoneInfo.Utc, Cron = FireTimes.ParseCron("0 * * * *", out _), Duration = TimeSpan.FromMinutes(90) };
        var merged = always.Intervals(Start, Start.AddHours(5));
        Assert.Single(merged);
    }
}
