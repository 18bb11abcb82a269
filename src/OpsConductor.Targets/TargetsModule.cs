using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsConductor.Remoting.Ssh;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Targets;

public sealed class TargetsModule : ServiceModule
{
    public const string Service = ServiceNames.Targets;

    public override string Name => Service;

    public override IReadOnlyList<string> Uses => [ServiceNames.Credentials];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<TargetsDb, TargetsSqliteDb, TargetsPostgresDb>(Service, context.Settings);
        var settings = TargetsSettings.From(context.Configuration);
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(SshOptions.From(context.Configuration));
        services.TryAddSingleton(sp => new SshConnector(sp.GetRequiredService<SshOptions>()));
        services.TryAddSingleton(WinRmClientOptions.Default);
        services.TryAddSingleton(sp => new WinRmConnector(sp.GetRequiredService<WinRmClientOptions>()));
        services.AddSingleton<TargetChecker>();
        services.AddSingleton<HealthSweep>();
        services.AddScoped<ITargetDirectory, TargetDirectory>();
        services.AddScoped<TargetInventory>();
        services.AddScoped<TargetTagging>();
        services.AddScoped<ICredentialUsage, TargetCredentialUsage>();
        if (context.Served)
        {
            services.AddHostedService<HealthMonitor>();
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapTargetsApi();
}
