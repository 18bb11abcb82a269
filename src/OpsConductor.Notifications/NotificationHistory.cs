using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Notifications;

/// <summary>What was sent (or is still trying), newest first.</summary>
public sealed class NotificationHistory(NotificationsDb db)
{
    public async Task<Outcome<PagedList<NotificationDto>>> ListAsync(NotificationFilter filter, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var statusFilter = EnumQuery.Parse<NotificationStatus>(filter.Status, "status", errors);
        var eventFilter = EnumQuery.Parse<NotificationEvent>(filter.Event, "event", errors);
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<NotificationDto>>.Invalid(errors);
        }
        var query = db.Notifications.AsNoTracking();
        if (statusFilter is { } s)
        {
            query = query.Where(n => n.Status == s);
        }
        if (eventFilter is { } e)
        {
            query = query.Where(n => n.Event == e);
        }
        if (filter.RunId is { } r)
        {
            query = query.Where(n => n.RunId == r);
        }
        if (filter.JobId is { } j)
        {
            query = query.Where(n => n.JobId == j);
        }
        if (filter.ScheduleId is { } sc)
        {
            query = query.Where(n => n.ScheduleId == sc);
        }
        return new Outcome<PagedList<NotificationDto>>.Success(await paging.ToPageAsync(query.OrderByDescending(n => n.Id), ToDto, ct));
    }

    public async Task<NotificationDetailDto?> GetAsync(long id, CancellationToken ct)
    {
        var n = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null)
        {
            return null;
        }
        var attempts = await db.Attempts.AsNoTracking().Where(a => a.NotificationId == id).OrderBy(a => a.Id)
            .Select(a => new NotificationAttemptDto(a.At, a.Success, a.Response)).ToListAsync(ct);
        var row = ToDto(n);
        return new NotificationDetailDto(row.Id, row.RunId, row.OccurrenceId, row.ScheduleId, row.ScheduleName, row.JobId, row.JobName, row.Event, row.Rule, row.Recipients, row.Subject, row.Status,
            row.Attempts, row.LastError, row.CreatedAt, row.SentAt, row.NextAttemptAt, n.Html, n.Text, attempts);
    }

    static NotificationDto ToDto(Notification n) => new(n.Id, n.RunId, n.OccurrenceId, n.ScheduleId, n.ScheduleName, n.JobId, n.JobName, n.Event, n.RuleKey,
        JsonSerializer.Deserialize<List<string>>(n.RecipientsJson)!, n.Subject, n.Status, n.Attempts, n.LastError, n.CreatedAt, n.SentAt,
        n.Status == NotificationStatus.Pending ? n.NextAttemptAt : null);
}
