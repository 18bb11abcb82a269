using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Jobs;

public sealed class JobsModule : ServiceModule
{
    public const string Service = ServiceNames.Jobs;

    public override string Name => Service;

    /// <summary>The scheduler's blackout windows may refuse manual runs (<see cref="IManualRunGate"/>).</summary>
    public override IReadOnlyList<string> Uses => [ServiceNames.Scheduler];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<JobsDb, JobsSqliteDb, JobsPostgresDb>(Service, context.Settings);
        var wakeups = RunWakeupOptions.From(context.Configuration);
        if (context.Settings.DatabaseProvider == DatabaseProvider.Postgres)
        {
            // Every process using the jobs module (API, executor, scheduler) publishes its wake-ups and hears the others'.
            services.AddSingleton(sp => new PostgresRunNotifications(NpgsqlDataSource.Create(context.Settings.ConnectionString),
                sp.GetRequiredService<ILogger<PostgresRunNotifications>>()));
            services.AddSingleton(sp => new RunSignals(wakeups, sp.GetRequiredService<PostgresRunNotifications>()));
            services.AddHostedService(sp => new PostgresRunListener(sp.GetRequiredService<RunSignals>(), sp.GetRequiredService<PostgresRunNotifications>(),
                context.Settings.ConnectionString, wakeups, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresRunListener>>()));
        }
        else
        {
            services.AddSingleton(new RunSignals(wakeups));
        }
        var options = JobsOptions.From(context.Configuration);
        services.AddSingleton(options);
        services.AddSingleton(new RunStreamSlots(options.MaxStreamsPerUser));
        services.AddSingleton<RunParameterSeal>();
        services.AddSingleton(new RunQueueOptions(TimeSpan.FromSeconds(options.LeaseSeconds)));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<IRunQueue, RunQueue>();
        services.AddScoped<RunEnqueuer>();
        services.AddScoped<JobCatalog>();
        services.AddScoped<IScheduledRuns, ScheduledRuns>();
        services.AddSingleton<RunLedgerWriter>();
        services.AddScoped<IRunLedger, BatchedRunLedger>();
        services.AddScoped<IRunOutbox, RunOutbox>();
        if (context.Served)
        {
            services.AddHostedService(sp => new RunRetention(sp, options.RetentionDays, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RunRetention>>()));
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapJobsApi();
        api.MapRunsApi();
    }
}

/// <summary>Deletes finished runs, with their output, older than the retention period (0 keeps everything).</summary>
sealed class RunRetention(IServiceProvider services, int retentionDays, TimeProvider clock, ILogger<RunRetention> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => retentionDays > 0 ? TimeSpan.FromHours(1) : TimeSpan.Zero;

    protected override string Activity => "Run retention";

    protected override string DisabledBy => "OpsConductor:Jobs:RetentionDays = 0";

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDb>();
        var cutoff = Clock.GetUtcNow().AddDays(-retentionDays);
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
            Logger.LogInformation("Retention: deleted {Count} runs older than {Days} days", deleted, retentionDays);
        }
    }
}
