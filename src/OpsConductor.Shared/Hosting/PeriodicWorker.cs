using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpsConductor.Shared.Hosting;

/// <summary>
/// A background job that does one thing every <see cref="Interval"/>: a failed round is logged once and the next one
/// runs as planned; stopping the host ends the wait at once. The timer runs on the injected <see cref="TimeProvider"/>.
/// </summary>
public abstract class PeriodicWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    /// <summary>Time between rounds; zero or less turns the worker off (see <see cref="DisabledBy"/>).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the log calls this work ("Run retention").</summary>
    protected abstract string Activity { get; }

    /// <summary>The setting that turned the worker off, for the log line saying so.</summary>
    protected virtual string DisabledBy => "an interval of 0";

    /// <summary>Whether the first round runs at start rather than one interval later.</summary>
    protected virtual bool RunsAtStart => false;

    /// <summary>False when exception messages may carry what must not reach the log (only the exception type is logged then).</summary>
    protected virtual bool LogsFailureDetails => true;

    protected abstract Task RunOnceAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero)
        {
            Logger.LogInformation("{Activity} is disabled ({Setting})", Activity, DisabledBy);
            return;
        }
        using var timer = new PeriodicTimer(Interval, Clock);
        try
        {
            if (RunsAtStart)
            {
                await RoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (LogsFailureDetails)
            {
                Logger.LogWarning(ex, "{Activity} failed", Activity);
            }
            else
            {
                Logger.LogWarning("{Activity} failed: {Error}", Activity, ex.GetType().Name);
            }
        }
    }
}
