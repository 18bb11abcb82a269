namespace OpsConductor.Scheduler;

/// <summary>One occurrence a claim records: the one that fires (pending until its run is confirmed), or one skipped or missed.</summary>
public sealed record PlannedOccurrence(DateTimeOffset ScheduledFor, OccurrenceStatus Status, string? Reason);

/// <summary>
/// What claiming a due schedule does: the occurrences from its next fire time up to now, of which only the latest fires,
/// and only when it is late by at most the misfire grace; the others are recorded missed (the newest
/// <paramref name="MissedTotal"/> capped to the record limit), never fired in a burst.
/// </summary>
public sealed record FirePlan(IReadOnlyList<PlannedOccurrence> Occurrences, int MissedTotal, DateTimeOffset? NextFireAt, DateTimeOffset? LastFireAt,
    string? DisableReason)
{
    public PlannedOccurrence? Firing => Occurrences.FirstOrDefault(o => o.Status == OccurrenceStatus.Pending);

    /// <param name="blackout">The name of the blackout window an instant falls in, or null.</param>
    public static FirePlan Make(ScheduleTiming timing, DateTimeOffset nextFireAt, DateTimeOffset now, TimeSpan grace, int missedRecordLimit,
        Func<DateTimeOffset, string?> blackout)
    {
        // The due occurrences, oldest first; only the newest few are kept (a one-second cron down for a day has 86,400).
        var due = new Queue<DateTimeOffset>();
        var total = 0;
        for (DateTimeOffset? t = nextFireAt; t is { } at && at <= now; t = timing.Cron is null ? null : timing.NextAfter(at))
        {
            due.Enqueue(at);
            total++;
            if (due.Count > missedRecordLimit + 1)
            {
                due.Dequeue();
            }
        }
        var occurrences = new List<PlannedOccurrence>();
        DateTimeOffset? lastFire = null;
        var missed = 0;
        if (due.Count > 0)
        {
            var list = due.ToList();
            var latest = list[^1];
            var fires = now - latest <= grace;
            var missedHere = fires ? list.Take(list.Count - 1) : list;
            var graceText = $"More than the misfire grace ({grace.TotalSeconds:0} s) late: the scheduler was not running at the time.";
            foreach (var m in missedHere.TakeLast(missedRecordLimit))
            {
                occurrences.Add(new PlannedOccurrence(m, OccurrenceStatus.Missed, graceText));
            }
            missed = fires ? total - 1 : total;
            if (fires)
            {
                if (blackout(latest) is { } window)
                {
                    occurrences.Add(new PlannedOccurrence(latest, OccurrenceStatus.Skipped, window));
                }
                else
                {
                    occurrences.Add(new PlannedOccurrence(latest, OccurrenceStatus.Pending, null));
                    lastFire = latest;
                }
            }
        }
        if (timing.Cron is null)
        {
            var at = FireTimes.FormatLocal(FireTimes.ToLocal(nextFireAt, timing.Zone).DateTime);
            var reason = occurrences.LastOrDefault()?.Status switch
            {
                OccurrenceStatus.Pending => $"A one-time schedule: it fired at {at} ({timing.Zone.Id}).",
                OccurrenceStatus.Skipped => $"A one-time schedule: its time {at} ({timing.Zone.Id}) fell in a blackout window.",
                _ => $"A one-time schedule: its time {at} ({timing.Zone.Id}) was missed.",
            };
            return new FirePlan(occurrences, missed, null, lastFire, reason);
        }
        return new FirePlan(occurrences, missed, timing.NextAfter(now), lastFire, null);
    }
}
