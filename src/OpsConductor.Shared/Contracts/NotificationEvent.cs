namespace OpsConductor.Shared.Contracts;

/// <summary>
/// What a run did, or a schedule's occurrence that did not happen (<see cref="Missed"/>), that a notification rule can react
/// to (lower_snake_case in JSON and in the database).
/// </summary>
public enum NotificationEvent
{
    Started,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,

    /// <summary>A schedule's occurrence was recorded missed: no scheduler ran at its time, and it was too late to fire on recovery.</summary>
    Missed,
}

public static class NotificationEvents
{
    /// <summary>The event a run's status change causes, or null (queued causes none).</summary>
    public static NotificationEvent? For(RunStatus status) => status switch
    {
        RunStatus.Running => NotificationEvent.Started,
        RunStatus.Succeeded => NotificationEvent.Succeeded,
        RunStatus.Failed => NotificationEvent.Failed,
        RunStatus.Cancelled => NotificationEvent.Cancelled,
        RunStatus.TimedOut => NotificationEvent.TimedOut,
        _ => null,
    };
}
