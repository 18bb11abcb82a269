using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

/// <summary>
/// Email about runs and missed schedule occurrences: reads the jobs outbox (<see cref="Shared.Contracts.IRunOutbox"/>) and the
/// scheduler's (<see cref="Shared.Contracts.IMissedOccurrenceOutbox"/>) into messages, sends them over
/// SMTP with retries, and keeps the SMTP password sealed by the credentials service (<see cref="Shared.Contracts.ISecretSealer"/>).
/// </summary>
public sealed class NotificationsModule : ServiceModule
{
    public const string Service = ServiceNames.Notifications;

    public override string Name => Service;

    public override IReadOnlyList<string> Uses => [ServiceNames.Jobs, ServiceNames.Scheduler, ServiceNames.Credentials];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<NotificationsDb, NotificationsSqliteDb, NotificationsPostgresDb>(Service, context.Settings);
        var options = NotificationsOptions.From(context.Configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationSignal>();
        services.AddScoped<SmtpSettingsStore>();
        services.AddScoped<TemplateStore>();
        services.AddScoped<DefaultRule>();
        services.AddScoped<NotificationHistory>();
        if (context.Served)
        {
            services.AddHostedService<NotificationDispatcher>();
            services.AddHostedService<NotificationSender>();
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapNotificationsApi();
}
