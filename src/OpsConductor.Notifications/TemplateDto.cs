using OpsConductor.Shared.Contracts;

namespace OpsConductor.Notifications;

/// <summary>An event's template; <see cref="IsDefault"/> when no admin has saved one (the built-in template is shown).</summary>
public sealed record TemplateDto(NotificationEvent Event, string Subject, string Html, string Text, bool IsDefault, DateTimeOffset? UpdatedAt,
    string? UpdatedBy);

public sealed record TemplateRequest(string? Subject, string? Html, string? Text);

/// <summary>
/// Renders against run <see cref="RunId"/> (or, for <c>missed</c>, missed occurrence <see cref="OccurrenceId"/>): the given parts,
/// or the stored template's where one is left out.
/// </summary>
public sealed record PreviewRequest(long? RunId, string? Subject = null, string? Html = null, string? Text = null, long? OccurrenceId = null);

public sealed record TemplateFieldsDto(IReadOnlyList<string> Fields);
