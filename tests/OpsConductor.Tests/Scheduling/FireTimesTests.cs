using OpsConductor.Scheduler;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>Fire times in real zones across daylight-saving transitions, as Cronos computes them and the scheduler uses them.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class FireTimesTests
{
    static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    static IReadOnlyList<DateTimeOffset> Fires(string cron, string zone, string fromUtc, int count) =>
        FireTimes.Upcoming(FireTimes.ParseCron(cron, out _)!, FireTimes.FindZone(zone)!, Utc(fromUtc), count);

    [Fact]
    public void Berlin_spring_forward_fires_a_time_in_the_gap_once_at_the_transition()
    {
        // 2026-03-29 02:00 CET becomes 03:00 CEST: 02:30 does not exist that day.
        var fires = Fires("30 2 * * *", "Europe/Berlin", "2026-03-27T12:00:00", 3);
        Assert.Equal([Utc("2026-03-28T01:30:00"), Utc("2026-03-29T01:00:00"), Utc("2026-03-30T00:30:00")], fires);
        Assert.Equal(3, FireTimes.ToLocal(fires[1], FireTimes.FindZone("Europe/Berlin")!).Hour);
    }

    [Fact]
    public void Berlin_fall_back_fires_an_ambiguous_time_once()
    {
        // 2026-10-25 03:00 CEST becomes 02:00 CET: 02:30 happens twice; it fires at the first.
        var fires = Fires("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00", 2);
        Assert.Equal([Utc("2026-10-25T00:30:00"), Utc("2026-10-26T01:30:00")], fires);
    }

    [Fact]
    public void New_York_spring_and_fall_each_fire_once()
    {
        // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST (01:30 twice).
        Assert.Equal([Utc("2026-03-07T07:30:00"), Utc("2026-03-08T07:00:00"), Utc("2026-03-09T06:30:00")],
            Fires("30 2 * * *", "America/New_York", "2026-03-07T00:00:00", 3));
        Assert.Equal([Utc("2026-10-31T05:30:00"), Utc("2026-11-01T05:30:00"), Utc("2026-11-02T06:30:00")],
            Fires("30 1 * * *", "America/New_York", "2026-10-31T00:00:00", 3));
    }

    [Fact]
    public void Lord_Howe_half_hour_shifts_fire_once_each()
    {
        // Lord Howe: +10:30 standard, +11:00 summer. 2026-10-04 02:00 → 02:30 (02:15 does not exist);
        // 2026-04-05 02:00 (+11) → 01:30 (+10:30): 01:45 happens twice.
        Assert.Equal([Utc("2026-10-02T15:45:00"), Utc("2026-10-03T15:30:00"), Utc("2026-10-04T15:15:00")],
            Fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T00:00:00", 3));
        Assert.Equal([Utc("2026-04-03T14:45:00"), Utc("2026-04-04T14:45:00"), Utc("2026-04-05T15:15:00")],
            Fires("45 1 * * *", "Australia/Lord_Howe", "2026-04-03T00:00:00", 3));
    }

    [Fact]
    public void Six_fields_have_leading_seconds_and_five_do_not()
    {
        Assert.Equal([Utc("2026-01-01T00:00:05"), Utc("2026-01-01T00:00:10")], Fires("*/5 * * * * *", "UTC", "2026-01-01T00:00:00", 2));
        Assert.Equal([Utc("2026-01-01T00:05:00"), Utc("2026-01-01T00:10:00")], Fires("*/5 * * * *", "UTC", "2026-01-01T00:00:00", 2));
        Assert.Null(FireTimes.ParseCron("* * * *", out var four));
        Assert.Contains("5 fields", four);
        Assert.Null(FireTimes.ParseCron("61 * * * *", out var bad));
        Assert.StartsWith("Invalid cron expression", bad);
    }

    [Fact]
    public void Run_at_in_a_gap_is_the_transition_and_an_ambiguous_one_the_first_time()
    {
        var berlin = FireTimes.FindZone("Europe/Berlin")!;
        Assert.Equal(Utc("2026-03-29T01:00:00"), FireTimes.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0), berlin));
        Assert.Equal(Utc("2026-10-25T00:30:00"), FireTimes.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0), berlin));
        Assert.Equal(Utc("2026-07-01T10:00:00"), FireTimes.ToUtc(new DateTime(2026, 7, 1, 12, 0, 0), berlin));
    }

    [Fact]
    public void Zones_are_iana_names()
    {
        Assert.NotNull(FireTimes.FindZone("Australia/Lord_Howe"));
        Assert.Same(TimeZoneInfo.Utc, FireTimes.FindZone(null));
        Assert.Null(FireTimes.FindZone("Mars/Olympus_Mons"));
    }
}
