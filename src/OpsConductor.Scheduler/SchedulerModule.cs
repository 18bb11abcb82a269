using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Scheduler;

/// <summary>Cron and one-time schedules of jobs, blackout windows, and the worker that fires them (only where the service is served).</summary>
public sealed class SchedulerModule : ServiceModule
{
    public const string Service = ServiceNames.Scheduler;

    public override string Name => Service;

    public override IReadOnlyList<string> Uses => [ServiceNames.Jobs];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<SchedulerDb, SchedulerSqliteDb, SchedulerPostgresDb>(Service, context.Settings);
        var options = SchedulerOptions.From(context.Configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SchedulerSignals>();
        services.AddSingleton<SchedulerGate>();
        services.AddSingleton<ScheduleParameterSeal>();
        services.AddScoped<ScheduleBook>();
        services.AddScoped<BlackoutBook>();
        services.AddScoped<ScheduleFiring>();
        services.AddScoped<ScheduleLookahead>();
        services.AddScoped<IManualRunGate, ManualRunGate>();
        services.AddScoped<IMissedOccurrenceOutbox, MissedOccurrenceOutbox>();
        if (context.Served)
        {
            services.AddHostedService<SchedulerWorker>();
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapSchedulesApi();
}
