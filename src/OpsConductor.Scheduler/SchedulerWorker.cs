using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpsConductor.Scheduler;

/// <summary>Fires due schedules: a round every tick (and at once when a schedule changed in this process), more while batches come back full.</summary>
public sealed class SchedulerWorker(IServiceProvider services, SchedulerSignals signals, SchedulerOptions options, TimeProvider clock,
    ILogger<SchedulerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromMilliseconds(options.TickMilliseconds);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = signals.NextChange;
            var full = false;
            try
            {
                await using var scope = services.CreateAsyncScope();
                var firing = scope.ServiceProvider.GetRequiredService<ScheduleFiring>();
                full = await firing.RunRoundAsync(stoppingToken) >= options.BatchSize;
                if (failing)
                {
                    logger.LogInformation("The scheduler fires schedules again");
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Logged once per outage; the next round tries again.
                if (!failing)
                {
                    logger.LogWarning(ex, "A scheduler round failed");
                    failing = true;
                }
            }
            if (full)
            {
                continue;
            }
            try
            {
                await Task.WhenAny(Task.Delay(tick, clock, stoppingToken), changed).WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
