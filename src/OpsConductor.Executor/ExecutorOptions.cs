using Microsoft.Extensions.Configuration;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Executor;

/// <summary><c>OpsConductor:Executor:*</c> settings.</summary>
public sealed record ExecutorOptions
{
    public const string Section = "OpsConductor:Executor";

    /// <summary>The claim loop's safety-net poll when queued work wakes it only within this process (SQLite).</summary>
    public const double LocalPollSeconds = 1;

    /// <summary>The safety-net poll with PostgreSQL, where LISTEN/NOTIFY wakes the executor from any process.</summary>
    public const double NotifiedPollSeconds = 5;

    /// <summary>Runs one executor process works on at once (each run fans out to its own targets).</summary>
    public int MaxConcurrentRuns { get; init; } = 100;
    public int DefaultStepTimeoutSeconds { get; init; } = 3600;
    public int ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>Stored output per step and stream; beyond it the output is cut and marked.</summary>
    public int OutputCapBytes { get; init; } = 1024 * 1024;
    public double HeartbeatSeconds { get; init; } = 1;

    /// <summary>
    /// How long the claim loop waits for a wake-up before it looks at the queue anyway. Default
    /// <see cref="LocalPollSeconds"/> on SQLite, <see cref="NotifiedPollSeconds"/> on PostgreSQL.
    /// </summary>
    public double PollSeconds { get; init; } = LocalPollSeconds;

    /// <summary>How long an idle session (SSH connection, WinRM client) stays open for the next run on the same target (0: close at once).</summary>
    public int KeepConnectionsSeconds { get; init; } = 120;

    public static ExecutorOptions From(IConfiguration configuration, DatabaseProvider provider)
    {
        var section = configuration.GetSection(Section);
        var options = section.Get<ExecutorOptions>() ?? new ExecutorOptions();
        if (section["PollSeconds"] is null)
        {
            options = options with { PollSeconds = provider == DatabaseProvider.Postgres ? NotifiedPollSeconds : LocalPollSeconds };
        }
        if (options.MaxConcurrentRuns < 1 || options.DefaultStepTimeoutSeconds < 1 || options.ConnectTimeoutSeconds < 1
            || options.OutputCapBytes < 1 || options.HeartbeatSeconds is <= 0 or > 3600 || options.PollSeconds is < 0.05 or > 600
            || options.KeepConnectionsSeconds < 0)
        {
            throw new InvalidOperationException(
                $"{Section}: MaxConcurrentRuns, DefaultStepTimeoutSeconds, ConnectTimeoutSeconds and OutputCapBytes must be 1 or more, "
                + "HeartbeatSeconds above 0 up to 3600, PollSeconds 0.05 to 600, KeepConnectionsSeconds 0 or more.");
        }
        return options;
    }
}
