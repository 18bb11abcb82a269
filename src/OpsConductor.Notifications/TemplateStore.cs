using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Notifications;

/// <summary>The templates admins edit, checked when saved (syntax and fields), and rendered against a run.</summary>
public sealed class TemplateStore(NotificationsDb db, IRunOutbox runs, IMissedOccurrenceOutbox occurrences, NotificationsOptions options, TimeProvider clock)
{
    public async Task<IReadOnlyList<TemplateDto>> ListAsync(CancellationToken ct)
    {
        var rows = await db.Templates.AsNoTracking().ToDictionaryAsync(t => t.Event, ct);
        return Enum.GetValues<NotificationEvent>().Select(e => ToDto(e, rows.GetValueOrDefault(e))).ToList();
    }

    public async Task<TemplateDto> GetAsync(NotificationEvent @event, CancellationToken ct) =>
        ToDto(@event, await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Event == @event, ct));

    public async Task<Outcome<TemplateDto>> PutAsync(NotificationEvent @event, TemplateRequest request, string updatedBy, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (NotificationRenderer.Parse(request.Subject, request.Html, request.Text, errors) is null)
        {
            return new Outcome<TemplateDto>.Invalid(errors);
        }
        var row = await db.Templates.FirstOrDefaultAsync(t => t.Event == @event, ct);
        if (row is null)
        {
            row = new TemplateRow { Event = @event, Subject = "", Html = "", Text = "" };
            db.Templates.Add(row);
        }
        row.Subject = request.Subject!;
        row.Html = request.Html!;
        row.Text = request.Text!;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = updatedBy;
        await db.SaveChangesAsync(ct);
        return new Outcome<TemplateDto>.Success(ToDto(@event, row));
    }

    /// <summary>Back to the built-in template.</summary>
    public async Task<TemplateDto> ResetAsync(NotificationEvent @event, CancellationToken ct)
    {
        await db.Templates.Where(t => t.Event == @event).ExecuteDeleteAsync(ct);
        return ToDto(@event, null);
    }

    /// <summary>
    /// Renders against a real run, or for <c>missed</c> against a real missed occurrence (<see cref="PreviewRequest.OccurrenceId"/>);
    /// <c>missed</c> with only a run renders that run's job with an example occurrence, so every event can be previewed from a run.
    /// </summary>
    public async Task<Outcome<RenderedMessage>> PreviewAsync(NotificationEvent @event, PreviewRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.RunId is null && (request.OccurrenceId is null || @event != NotificationEvent.Missed))
        {
            return new Outcome<RenderedMessage>.Invalid(@event == NotificationEvent.Missed
                ? errors.Add("occurrenceId", "occurrenceId (a missed occurrence) or runId (its job, with an example occurrence) is required.")
                : errors.Add("runId", "runId is required: the run to render the template against."));
        }
        var stored = await GetAsync(@event, ct);
        var parsed = NotificationRenderer.Parse(request.Subject ?? stored.Subject, request.Html ?? stored.Html, request.Text ?? stored.Text, errors);
        if (parsed is null)
        {
            return new Outcome<RenderedMessage>.Invalid(errors);
        }
        if (@event == NotificationEvent.Missed)
        {
            return await PreviewMissedAsync(parsed, request, errors, ct);
        }
        var runId = request.RunId!.Value;
        var run = await runs.GetRunSummaryAsync(runId, options.LastLines, ct);
        if (run is null)
        {
            return new Outcome<RenderedMessage>.Invalid(errors.Add("runId", $"Run {runId} does not exist."));
        }
        return new Outcome<RenderedMessage>.Success(await NotificationRenderer.RenderAsync(parsed, TemplateModel.From(run, @event, options.PublicUrl)));
    }

    async Task<Outcome<RenderedMessage>> PreviewMissedAsync(NotificationRenderer.Parsed parsed, PreviewRequest request, ValidationErrors errors,
        CancellationToken ct)
    {
        MissedOccurrence occurrence;
        if (request.OccurrenceId is { } occurrenceId)
        {
            if (await occurrences.GetAsync(occurrenceId, ct) is not { } found)
            {
                return new Outcome<RenderedMessage>.Invalid(errors.Add("occurrenceId", $"Occurrence {occurrenceId} does not exist or was not missed."));
            }
            occurrence = found;
        }
        else
        {
            var runId = request.RunId!.Value;
            if (await runs.GetRunSummaryAsync(runId, 0, ct) is not { } run)
            {
                return new Outcome<RenderedMessage>.Invalid(errors.Add("runId", $"Run {runId} does not exist."));
            }
            var due = run.QueuedAt;
            occurrence = new MissedOccurrence(0, 0, "example schedule", run.JobId, "UTC", due,
                "An example occurrence (the preview was given a run, not a missed occurrence).", clock.GetUtcNow());
        }
        var job = await runs.GetJobRulesAsync(occurrence.JobId, ct);
        var model = TemplateModel.From(occurrence, 1, occurrence.JobId, job?.JobName ?? $"job {occurrence.JobId}", options.PublicUrl);
        return new Outcome<RenderedMessage>.Success(await NotificationRenderer.RenderAsync(parsed, model));
    }

    /// <summary>The parsed template the dispatcher renders with; a stored one that no longer parses falls back to the built-in one.</summary>
    public async Task<NotificationRenderer.Parsed> ParsedAsync(NotificationEvent @event, CancellationToken ct)
    {
        var stored = await GetAsync(@event, ct);
        var errors = new ValidationErrors();
        if (NotificationRenderer.Parse(stored.Subject, stored.Html, stored.Text, errors) is { } parsed)
        {
            return parsed;
        }
        var builtIn = DefaultTemplates.For(@event);
        return NotificationRenderer.Parse(builtIn.Subject, builtIn.Html, builtIn.Text, errors)!;
    }

    static TemplateDto ToDto(NotificationEvent @event, TemplateRow? row)
    {
        if (row is not null)
        {
            return new TemplateDto(@event, row.Subject, row.Html, row.Text, false, row.UpdatedAt, row.UpdatedBy);
        }
        var builtIn = DefaultTemplates.For(@event);
        return new TemplateDto(@event, builtIn.Subject, builtIn.Html, builtIn.Text, true, null, null);
    }
}
