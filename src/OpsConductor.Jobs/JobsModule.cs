using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Jobs;

public sealed class JobsModule : ServiceModule
{
    public const string Service = ServiceNames.Jobs;

    public override string Name => Service;

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<JobsDb, JobsSqliteDb, JobsPostgresDb>(Service, context.Settings);
        services.AddSingleton<RunSignals>();
        var maxStreams = context.Configuration.GetValue("OpsConductor:Jobs:MaxStreamsPerUser", 20);
        if (maxStreams < 1)
        {
            throw new InvalidOperationException("OpsConductor:Jobs:MaxStreamsPerUser must be 1 or more.");
        }
        services.AddSingleton(new RunStreamSlots(maxStreams));
        services.AddSingleton<RunParameterSeal>();
        services.AddSingleton(new RunQueueOptions(TimeSpan.FromSeconds(context.Configuration.GetValue("OpsConductor:Executor:LeaseSeconds", 30))));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IRunQueue, RunQueue>();
        services.AddScoped<RunEnqueuer>();
        services.AddSingleton<RunLedgerWriter>();
        services.AddScoped<IRunLedger, BatchedRunLedger>();
        if (context.Served)
        {
            var days = context.Configuration.GetValue("OpsConductor:Jobs:RetentionDays", 90);
            services.AddHostedService(sp => new RunRetention(sp, days, sp.GetRequiredService<ILogger<RunRetention>>()));
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapJobsApi();
        api.MapRunsApi();
    }
}

/// <summary>Deletes finished runs, with their output, older than the retention period (0 keeps everything).</summary>
sealed class RunRetention(IServiceProvider services, int retentionDays, ILogger<RunRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (retentionDays <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<JobsDb>();
                var cutoff = DateTimeOffset.UtcNow.AddDays(-retentionDays);
                var finished = Enum.GetValues<RunStatus>().Where(RunStatusRules.IsFinal).ToArray();
                var deleted = 0;
                while (true)
                {
                    var ids = await db.Runs.Where(r => finished.Contains(r.Status) && r.QueuedAt < cutoff).OrderBy(r => r.Id)
                        .Select(r => r.Id).Take(500).ToListAsync(stoppingToken);
                    if (ids.Count == 0)
                    {
                        break;
                    }
                    await db.RunEvents.Where(e => ids.Contains(e.RunId)).ExecuteDeleteAsync(stoppingToken);
                    await db.RunSteps.Where(e => ids.Contains(e.RunId)).ExecuteDeleteAsync(stoppingToken);
                    await db.RunTargets.Where(e => ids.Contains(e.RunId)).ExecuteDeleteAsync(stoppingToken);
                    deleted += await db.Runs.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(stoppingToken);
                }
                if (deleted > 0)
                {
                    logger.LogInformation("Retention: deleted {Count} runs older than {Days} days", deleted, retentionDays);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Run retention failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
