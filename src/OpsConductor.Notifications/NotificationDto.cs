using OpsConductor.Shared.Contracts;

namespace OpsConductor.Notifications;

/// <summary>A row of the history: about a run (<see cref="RunId"/>), or a schedule's missed occurrence (<see cref="OccurrenceId"/>, no run).</summary>
public sealed record NotificationDto(long Id, long? RunId, long? OccurrenceId, long? ScheduleId, string? ScheduleName, long JobId, string JobName, NotificationEvent Event, string Rule, IReadOnlyList<string> Recipients,
    string Subject, NotificationStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt);

public sealed record NotificationAttemptDto(DateTimeOffset At, bool Success, string Response);

/// <summary>One notification with its bodies and every attempt, oldest first.</summary>
public sealed record NotificationDetailDto(long Id, long? RunId, long? OccurrenceId, long? ScheduleId, string? ScheduleName, long JobId, string JobName, NotificationEvent Event, string Rule,
    IReadOnlyList<string> Recipients, string Subject, NotificationStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt, string Html, string Text, IReadOnlyList<NotificationAttemptDto> AttemptLog);
