using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Targets;

/// <summary>Runs a health sweep every configured interval while the targets service is served here.</summary>
sealed class HealthMonitor(HealthSweep sweep, TargetsSettings settings, TimeProvider clock, ILogger<HealthMonitor> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => settings.HealthCheckInterval;

    protected override string Activity => "Target health sweep";

    protected override string DisabledBy => $"{TargetsSettings.IntervalSetting} = 0";

    // Connection errors can name hosts and users; the sweep logs per target what an operator needs.
    protected override bool LogsFailureDetails => false;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => sweep.RunAsync(stoppingToken);
}
