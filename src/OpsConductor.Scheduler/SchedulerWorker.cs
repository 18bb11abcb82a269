using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpsConductor.Scheduler;

/// <summary>
/// Fires due schedules: a round at the next fire time of any schedule (so an occurrence is not up to a tick late), at
/// least every tick (schedules changed by other processes), at once when a schedule changed in this process, and more
/// while batches come back full.
/// </summary>
public sealed class SchedulerWorker(IServiceProvider services, SchedulerSignals signals, SchedulerOptions options, TimeProvider clock,
    ILogger<SchedulerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromMilliseconds(options.TickMilliseconds);
        // Due but not claimed here (another process holds the rows, or the round failed): look again soon, not in a loop.
        var busy = TimeSpan.FromMilliseconds(Math.Min(50, options.TickMilliseconds));
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = signals.NextChange;
            var full = false;
            var wait = tick;
            try
            {
                await using var scope = services.CreateAsyncScope();
                var firing = scope.ServiceProvider.GetRequiredService<ScheduleFiring>();
                full = await firing.RunRoundAsync(stoppingToken) >= options.BatchSize;
                if (!full && await firing.NextDueAsync(stoppingToken) is { } due)
                {
                    var untilDue = due - clock.GetUtcNow();
                    wait = untilDue <= TimeSpan.Zero ? busy : untilDue < tick ? untilDue : tick;
                }
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
                await Task.WhenAny(Task.Delay(wait, clock, stoppingToken), changed).WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
