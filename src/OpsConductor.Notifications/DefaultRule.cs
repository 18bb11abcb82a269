using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Notifications;

/// <summary>The global rule: these events of every job's runs go to these recipients (none by default).</summary>
public sealed record DefaultRuleDto(IReadOnlyList<NotificationEvent> Events, IReadOnlyList<string> Recipients, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record DefaultRuleRequest(IReadOnlyList<NotificationEvent>? Events, IReadOnlyList<string?>? Recipients);

public sealed class DefaultRule(NotificationsDb db, TimeProvider clock)
{
    public async Task<DefaultRuleDto> GetAsync(CancellationToken ct)
    {
        var row = await db.DefaultRule.AsNoTracking().FirstOrDefaultAsync(ct);
        return row is null
            ? new DefaultRuleDto([], [], null, null)
            : new DefaultRuleDto(JsonSerializer.Deserialize<List<NotificationEvent>>(row.EventsJson, Json)!,
                JsonSerializer.Deserialize<List<string>>(row.RecipientsJson)!, row.UpdatedAt, row.UpdatedBy);
    }

    public async Task<Outcome<DefaultRuleDto>> PutAsync(DefaultRuleRequest request, string updatedBy, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var events = (request.Events ?? []).Distinct().ToList();
        EmailAddresses.ValidateList(errors, "recipients", request.Recipients, required: events.Count > 0);
        if (!errors.IsValid)
        {
            return new Outcome<DefaultRuleDto>.Invalid(errors);
        }
        var row = await db.DefaultRule.FirstOrDefaultAsync(ct);
        if (row is null)
        {
            row = new DefaultRuleRow();
            db.DefaultRule.Add(row);
        }
        row.EventsJson = JsonSerializer.Serialize(events, Json);
        row.RecipientsJson = JsonSerializer.Serialize((request.Recipients ?? []).Select(r => r!).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = updatedBy;
        await db.SaveChangesAsync(ct);
        return new Outcome<DefaultRuleDto>.Success(await GetAsync(ct));
    }

    static readonly JsonSerializerOptions Json = new() { Converters = { Shared.Hosting.HttpDefaults.EnumConverter } };
}
