using Microsoft.Extensions.Configuration;

namespace OpsConductor.Targets;

public sealed record TargetsSettings(TimeSpan HealthCheckInterval, int HealthCheckConcurrency, TimeSpan ConnectTimeout)
{
    public const string IntervalSetting = "OpsConductor:Targets:HealthCheckIntervalSeconds";
    public const string ConcurrencySetting = "OpsConductor:Targets:HealthCheckConcurrency";
    public const string TimeoutSetting = "OpsConductor:Targets:ConnectTimeoutSeconds";

    public static TargetsSettings From(IConfiguration configuration) => new(
        TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue(IntervalSetting, 300.0))),
        Math.Clamp(configuration.GetValue(ConcurrencySetting, 50), 1, 1000),
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(TimeoutSetting, 10.0), 0.5, 300)));
}
