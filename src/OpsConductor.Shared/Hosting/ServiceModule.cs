using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpsConductor.Shared.Hosting;

/// <summary>
/// One OpsConductor service. The host loads a module either to serve it (endpoints, background
/// workers) or only as a library because a served module uses its contracts (data and contracts).
/// </summary>
public abstract class ServiceModule
{
    public abstract string Name { get; }

    /// <summary>Services whose contracts this one calls.</summary>
    public virtual IReadOnlyList<string> Uses => [];

    public abstract void AddServices(IServiceCollection services, ModuleContext context);

    public abstract void MapEndpoints(IEndpointRouteBuilder api);

    /// <summary>
    /// For a process that reaches this service over HTTP (<c>OpsConductor:Remote:&lt;name&gt;</c> set) instead of
    /// loading it as a library: registers HTTP clients of its contracts. False when it has none yet.
    /// </summary>
    public virtual bool AddRemoteContracts(IServiceCollection services, Uri baseUrl, ModuleContext context) => false;

    /// <summary>Runs once after the databases are migrated, before the host accepts requests.</summary>
    public virtual Task InitializeAsync(IServiceProvider services, ModuleContext context, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}

public sealed record ModuleContext(IConfiguration Configuration, OpsConductorSettings Settings, bool Served, IReadOnlySet<string> ServedServices)
{
    public bool IsServedHere(string service) => ServedServices.Contains(service);
}

public static class ServiceNames
{
    public const string Auth = "auth";
    public const string Users = "users";
    public const string Credentials = "credentials";
    public const string Targets = "targets";
    public const string Jobs = "jobs";
    public const string Executor = "executor";
    public const string Scheduler = "scheduler";
    public const string Notifications = "notifications";
}
