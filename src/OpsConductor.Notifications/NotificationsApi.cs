using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Notifications;

/// <summary>
/// The notifications endpoints: the history for every signed-in user (viewers included: it shows what the job
/// definitions they can read already say), settings, templates and the default rule for admins.
/// </summary>
public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications");
        var read = group.MapGroup("").RequireAuthorization(Policies.Viewer);
        var admin = group.MapGroup("").RequireAuthorization(Policies.Admin);

        read.MapGet("", List).WithName("ListNotifications").WithSummary("The notification history, newest first; filter by status, event, run, job and schedule.");
        read.MapGet("/{id:long}", Get).WithName("GetNotification").WithSummary("One notification with its bodies and every delivery attempt.");

        admin.MapGet("/smtp", GetSmtp).WithName("GetSmtpSettings").WithSummary("The SMTP settings; the password is never returned, only passwordSet.");
        admin.MapPut("/smtp", PutSmtp).WithName("PutSmtpSettings")
            .WithSummary("Store the SMTP settings. password: absent keeps the stored one, \"\" removes it; it is encrypted with the credentials master key.");
        admin.MapPost("/smtp/test", TestSmtp).WithName("TestSmtpSettings")
            .WithSummary("Send a test message now with the stored settings: 200 with success and the server's answer, or success=false and its error.");

        admin.MapGet("/rules/default", GetDefaultRule).WithName("GetDefaultNotificationRule").WithSummary("The rule every job's runs follow (none by default).");
        admin.MapPut("/rules/default", PutDefaultRule).WithName("PutDefaultNotificationRule");

        admin.MapGet("/templates", ListTemplates).WithName("ListNotificationTemplates").WithSummary("Every event's template (built-in until saved).");
        admin.MapGet("/templates/fields", Fields).WithName("ListNotificationTemplateFields").WithSummary("The fields a template may use.");
        admin.MapGet("/templates/{event}", GetTemplate).WithName("GetNotificationTemplate");
        admin.MapPut("/templates/{event}", PutTemplate).WithName("PutNotificationTemplate")
            .WithSummary("Save an event's template (Liquid; the HTML part HTML-encodes values). A 400 names a syntax error or an unknown field.");
        admin.MapDelete("/templates/{event}", ResetTemplate).WithName("ResetNotificationTemplate").WithSummary("Back to the built-in template.");
        admin.MapPost("/templates/{event}/preview", Preview).WithName("PreviewNotificationTemplate")
            .WithSummary("Render the stored template, or the parts given, against a real run.");
    }

    static async Task<Results<Ok<PagedList<NotificationDto>>, ValidationProblem, ProblemHttpResult>> List(NotificationHistory history,
        [AsParameters] NotificationFilter filter, [AsParameters] PageRequest paging, CancellationToken ct) =>
        (await history.ListAsync(filter, paging, ct)).ToOk("Notification");

    static async Task<Results<Ok<NotificationDetailDto>, ProblemHttpResult>> Get(long id, NotificationHistory history, CancellationToken ct) =>
        await history.GetAsync(id, ct) is { } n ? TypedResults.Ok(n) : Problems.NotFound($"Notification {id}");

    static async Task<Ok<SmtpSettingsDto>> GetSmtp(SmtpSettingsStore store, CancellationToken ct) => TypedResults.Ok(await store.GetAsync(ct));

    static async Task<Results<Ok<SmtpSettingsDto>, ValidationProblem, ProblemHttpResult>> PutSmtp(SmtpSettingsRequest request, ClaimsPrincipal caller,
        SmtpSettingsStore store, CancellationToken ct) =>
        (await store.PutAsync(request, caller.Username(), ct)).ToOk("SMTP settings");

    static async Task<Results<Ok<SmtpTestResult>, ValidationProblem, ProblemHttpResult>> TestSmtp(SmtpTestRequest request, SmtpSettingsStore store,
        CancellationToken ct) =>
        (await store.TestAsync(request, ct)).ToOk("SMTP settings");

    static async Task<Ok<DefaultRuleDto>> GetDefaultRule(DefaultRule rule, CancellationToken ct) => TypedResults.Ok(await rule.GetAsync(ct));

    static async Task<Results<Ok<DefaultRuleDto>, ValidationProblem, ProblemHttpResult>> PutDefaultRule(DefaultRuleRequest request, ClaimsPrincipal caller,
        DefaultRule rule, CancellationToken ct) =>
        (await rule.PutAsync(request, caller.Username(), ct)).ToOk("Default rule");

    static async Task<Ok<IReadOnlyList<TemplateDto>>> ListTemplates(TemplateStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct));

    static Ok<TemplateFieldsDto> Fields() => TypedResults.Ok(new TemplateFieldsDto(TemplateFields.Known));

    static async Task<Results<Ok<TemplateDto>, ValidationProblem>> GetTemplate(string @event, TemplateStore store, CancellationToken ct) =>
        Event(@event, out var e) is { } invalid ? invalid : TypedResults.Ok(await store.GetAsync(e, ct));

    static async Task<Results<Ok<TemplateDto>, ValidationProblem, ProblemHttpResult>> PutTemplate(string @event, TemplateRequest request,
        ClaimsPrincipal caller, TemplateStore store, CancellationToken ct) =>
        Event(@event, out var e) is { } invalid ? invalid : (await store.PutAsync(e, request, caller.Username(), ct)).ToOk("Template");

    static async Task<Results<Ok<TemplateDto>, ValidationProblem>> ResetTemplate(string @event, TemplateStore store, CancellationToken ct) =>
        Event(@event, out var e) is { } invalid ? invalid : TypedResults.Ok(await store.ResetAsync(e, ct));

    static async Task<Results<Ok<RenderedMessage>, ValidationProblem, ProblemHttpResult>> Preview(string @event, PreviewRequest request,
        TemplateStore store, CancellationToken ct) =>
        Event(@event, out var e) is { } invalid ? invalid : (await store.PreviewAsync(e, request, ct)).ToOk("Run");

    static ValidationProblem? Event(string text, out NotificationEvent parsed)
    {
        var errors = new ValidationErrors();
        parsed = EnumQuery.Parse<NotificationEvent>(text, "event", errors) ?? default;
        return errors.IsValid ? null : errors.ToResult();
    }
}
