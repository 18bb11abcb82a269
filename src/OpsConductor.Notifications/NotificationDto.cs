using OpsConductor.Shared.Contracts;

namespace OpsConductor.Notifications;

/// <summary>A row of the history.</summary>
public sealed record NotificationDto(long Id, long RunId, long JobId, string JobName, NotificationEvent Event, string Rule, IReadOnlyList<string> Recipients,
    string Subject, NotificationStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt);

public sealed record NotificationAttemptDto(DateTimeOffset At, bool Success, string Response);

/// <summary>One notification with its bodies and every attempt, oldest first.</summary>
public sealed record NotificationDetailDto(long Id, long RunId, long JobId, string JobName, NotificationEvent Event, string Rule,
    IReadOnlyList<string> Recipients, string Subject, NotificationStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt, string Html, string Text, IReadOnlyList<NotificationAttemptDto> AttemptLog);
