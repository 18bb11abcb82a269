using Microsoft.Extensions.Configuration;

namespace OpsConductor.Jobs;

/// <summary><c>OpsConductor:Jobs:Wakeups:*</c>: the cross-process wake-ups (PostgreSQL LISTEN/NOTIFY) and their safety nets.</summary>
public sealed record RunWakeupOptions
{
    public const string Section = "OpsConductor:Jobs:Wakeups";

    /// <summary>
    /// While notifications are being received, how long an SSE reader waits before it looks at the database anyway
    /// (only a safety net: a notification lost between commit and delivery). Without them (SQLite, or the listener
    /// reconnecting) readers poll every <see cref="RunSignals.LocalReaderPollInterval"/>.
    /// </summary>
    public double ReaderPollSeconds { get; init; } = 5;

    /// <summary>The listener's reconnect delay doubles from half a second up to this after its connection drops.</summary>
    public double ReconnectMaxSeconds { get; init; } = 30;

    public static RunWakeupOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<RunWakeupOptions>() ?? new RunWakeupOptions();
        if (options.ReaderPollSeconds is < 0.1 or > 600 || options.ReconnectMaxSeconds is < 0.5 or > 600)
        {
            throw new InvalidOperationException($"{Section}: ReaderPollSeconds must be 0.1 to 600, ReconnectMaxSeconds 0.5 to 600.");
        }
        return options;
    }
}
