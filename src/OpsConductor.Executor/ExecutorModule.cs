using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsConductor.Executor.Sessions;
using OpsConductor.Executor.Ssh;
using OpsConductor.Executor.WinRm;
using OpsConductor.Remoting.Ssh;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Executor;

public sealed record ExecutorStatus(IReadOnlyList<WorkerInfo> Workers, int QueuedRuns);

public sealed class ExecutorModule : ServiceModule
{
    public override string Name => ServiceNames.Executor;

    public override IReadOnlyList<string> Uses => [ServiceNames.Jobs, ServiceNames.Targets, ServiceNames.Credentials];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        if (!context.Served)
        {
            return;
        }
        services.AddSingleton(ExecutorOptions.From(context.Configuration, context.Settings.DatabaseProvider));
        services.TryAddSingleton(SshOptions.From(context.Configuration));
        services.TryAddSingleton(sp => new SshConnector(sp.GetRequiredService<SshOptions>()));
        services.TryAddSingleton(_ => new WinRmConnector());
        services.AddSingleton<ITargetSessionOpener, SshSessionOpener>();
        services.AddSingleton<ITargetSessionOpener, WinRmSessionOpener>();
        services.AddSingleton<TargetSessions>();
        services.AddSingleton<RunExecution>();
        services.AddHostedService<ExecutorWorker>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGroup("/executor").WithTags("Executor").RequireAuthorization(Policies.Viewer)
            .MapGet("/status", Status).WithName("GetExecutorStatus").WithSummary("Live executor workers and the number of queued runs.");
    }

    static async Task<Ok<ExecutorStatus>> Status(IRunQueue queue, CancellationToken ct) =>
        TypedResults.Ok(new ExecutorStatus(await queue.GetWorkersAsync(ct), await queue.CountQueuedAsync(ct)));
}
