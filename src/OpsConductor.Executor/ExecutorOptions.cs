using Microsoft.Extensions.Configuration;

namespace OpsConductor.Executor;

/// <summary><c>OpsConductor:Executor:*</c> settings.</summary>
public sealed record ExecutorOptions
{
    /// <summary>Runs one executor process works on at once (each run fans out to its own targets).</summary>
    public int MaxConcurrentRuns { get; init; } = 100;
    public int DefaultStepTimeoutSeconds { get; init; } = 3600;
    public int ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>Stored output per step and stream; beyond it the output is cut and marked.</summary>
    public int OutputCapBytes { get; init; } = 1024 * 1024;
    public double HeartbeatSeconds { get; init; } = 1;
    public double PollSeconds { get; init; } = 1;

    /// <summary>How long an idle SSH connection stays open for the next run on the same target (0: close at once).</summary>
    public int KeepConnectionsSeconds { get; init; } = 120;

    public static ExecutorOptions From(IConfiguration configuration) =>
        configuration.GetSection("OpsConductor:Executor").Get<ExecutorOptions>() ?? new ExecutorOptions();
}
