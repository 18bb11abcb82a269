namespace OpsConductor.Scheduler;

/// <summary>One occurrence a claim records: the one that fires (pending until its run is confirmed), or one skipped or missed.</summary>
public sealed record PlannedOccurrence(DateTimeOffset ScheduledFor, OccurrenceStatus Status, string? Reason);

/// <summary>
/// What claiming a due schedule does with the occurrences from its next fire time up to now (or a horizon a little
/// after now: those not due yet are on time and are queued for their time). Those late by at most the
/// tolerance (a busy scheduler, not an outage) all fire. Otherwise — the scheduler was down — only the latest fires, and
/// only when it is late by at most the misfire grace; the others are recorded missed (of <paramref name="MissedTotal"/>
/// only the newest, up to the record limit), never fired in a burst.
/// </summary>
public sealed record FirePlan(IReadOnlyList<PlannedOccurrence> Occurrences, int MissedTotal, DateTimeOffset? NextFireAt, DateTimeOffset? LastFireAt,
    string? DisableReason)
{
    public PlannedOccurrence? Firing => Occurrences.FirstOrDefault(o => o.Status == OccurrenceStatus.Pending);

    /// <param name="blackout">The name of the blackout window an instant falls in, or null.</param>
    public static FirePlan Make(ScheduleTiming timing, DateTimeOffset nextFireAt, DateTimeOffset now, TimeSpan grace, int missedRecordLimit,
        Func<DateTimeOffset, string?> blackout) => Make(timing, nextFireAt, now, now, grace, TimeSpan.Zero, missedRecordLimit, blackout);

    /// <param name="horizon">Occurrences up to this instant (now, or later when runs are queued ahead of their time) are planned.</param>
    /// <param name="tolerance">Lateness that is no misfire: every occurrence late by at most this much fires.</param>
    public static FirePlan Make(ScheduleTiming timing, DateTimeOffset nextFireAt, DateTimeOffset now, DateTimeOffset horizon, TimeSpan grace,
        TimeSpan tolerance, int missedRecordLimit, Func<DateTimeOffset, string?> blackout)
    {
        // The due occurrences, oldest first; only the newest few are kept (a one-second cron down for a day has 86,400).
        var due = new Queue<DateTimeOffset>();
        var total = 0;
        for (DateTimeOffset? t = nextFireAt; t is { } at && at <= horizon; t = timing.Cron is null ? null : timing.NextAfter(at))
        {
            due.Enqueue(at);
            total++;
            if (due.Count > missedRecordLimit + 1 && now - due.Peek() > tolerance)
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
            var onTime = list.Where(t => now - t <= tolerance).ToList();
            var firing = onTime.Count > 0 ? onTime : now - list[^1] <= grace ? [list[^1]] : [];
            var missedHere = list.Where(t => !firing.Contains(t)).ToList();
            var graceText = $"More than the misfire grace ({grace.TotalSeconds:0} s) late, or not the latest missed one: no scheduler ran at the time.";
            foreach (var m in missedHere.TakeLast(missedRecordLimit))
            {
                occurrences.Add(new PlannedOccurrence(m, OccurrenceStatus.Missed, graceText));
            }
            missed = total - firing.Count;
            foreach (var at in firing)
            {
                if (blackout(at) is { } window)
                {
                    occurrences.Add(new PlannedOccurrence(at, OccurrenceStatus.Skipped, window));
                }
                else
                {
                    occurrences.Add(new PlannedOccurrence(at, OccurrenceStatus.Pending, null));
                    lastFire = at;
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
        return new FirePlan(occurrences, missed, timing.NextAfter(horizon), lastFire, null);
    }
}
