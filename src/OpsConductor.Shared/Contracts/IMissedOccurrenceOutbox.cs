namespace OpsConductor.Shared.Contracts;

/// <summary>
/// A schedule's missed occurrences of one scheduler round, waiting to be turned into notifications: <see cref="OccurrenceId"/>
/// is the newest of them, <see cref="MissedCount"/> how many the round recorded missed for that schedule.
/// </summary>
public sealed record MissedOccurrenceEntry(long Id, long OccurrenceId, int MissedCount, DateTimeOffset At);

/// <summary>A missed occurrence as a notification tells it: the schedule, its job, when it was due and why it did not fire.</summary>
public sealed record MissedOccurrence(long OccurrenceId, long ScheduleId, string ScheduleName, long JobId, string TimeZone, DateTimeOffset ScheduledFor,
    string? Reason, DateTimeOffset RecordedAt);

/// <summary>
/// The scheduler's outbox of missed occurrences (<c>schedule_outbox</c>, written in the transaction that records them
/// missed). Claimed, completed and idempotent like <see cref="IRunOutbox"/>.
/// </summary>
public interface IMissedOccurrenceOutbox
{
    Task<IReadOnlyList<MissedOccurrenceEntry>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken);

    Task CompleteAsync(IReadOnlyCollection<long> entryIds, CancellationToken cancellationToken);

    /// <summary>A missed occurrence with its schedule, or null when it (or its schedule) does not exist or was not missed.</summary>
    Task<MissedOccurrence?> GetAsync(long occurrenceId, CancellationToken cancellationToken);
}
