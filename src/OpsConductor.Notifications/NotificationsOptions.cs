using Microsoft.Extensions.Configuration;

namespace OpsConductor.Notifications;

/// <summary>
/// <c>OpsConductor:Notifications:*</c> and <c>OpsConductor:PublicUrl</c> (the address users open OpsConductor at, for the
/// link to the run in a message): read and checked once while the host is built.
/// </summary>
public sealed record NotificationsOptions
{
    public const string Section = "OpsConductor:Notifications";
    public const string PublicUrlSetting = "OpsConductor:PublicUrl";

    public string PublicUrl { get; init; } = "http://localhost:5080";

    /// <summary>Tries per message before it is marked failed.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Wait after the first failed try; doubled after each further one...</summary>
    public double RetryBaseSeconds { get; init; } = 30;

    /// <summary>...up to this.</summary>
    public double RetryMaxSeconds { get; init; } = 3600;

    /// <summary>How often the outbox and the pending messages are looked at.</summary>
    public int PollMilliseconds { get; init; } = 1000;

    /// <summary>How long a claimed outbox row or message stays one process's before another may take it over (a killed sender's claims return).</summary>
    public int LeaseSeconds { get; init; } = 120;

    /// <summary>Outbox rows or messages claimed per round.</summary>
    public int BatchSize { get; init; } = 20;

    /// <summary>
    /// SMTP connections a round's messages are split over and sent through at once: one connection sends one message after
    /// another, waiting for each answer, which was the ceiling when many runs failed together.
    /// </summary>
    public int SenderConnections { get; init; } = 4;

    /// <summary>Per SMTP operation (connect, authenticate, send).</summary>
    public int SmtpTimeoutSeconds { get; init; } = 30;

    /// <summary>Output lines per target shown in a message.</summary>
    public int LastLines { get; init; } = 20;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>When to try again after <paramref name="attempts"/> failed tries: base × 2^(attempts − 1), at most the maximum.</summary>
    public TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(RetryMaxSeconds, RetryBaseSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30))));

    public static NotificationsOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<NotificationsOptions>() ?? new NotificationsOptions();
        if (configuration[PublicUrlSetting] is { Length: > 0 } publicUrl)
        {
            options = options with { PublicUrl = publicUrl };
        }
        if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{PublicUrlSetting} must be an absolute http(s) URL (the address users open OpsConductor at).");
        }
        options = options with { PublicUrl = options.PublicUrl.TrimEnd('/') };
        Check(options.MaxAttempts is >= 1 and <= 100, "MaxAttempts must be between 1 and 100.");
        Check(options.RetryBaseSeconds > 0, "RetryBaseSeconds must be more than 0.");
        Check(options.RetryMaxSeconds >= options.RetryBaseSeconds, "RetryMaxSeconds must be at least RetryBaseSeconds.");
        Check(options.PollMilliseconds is >= 10 and <= 600_000, "PollMilliseconds must be between 10 and 600000.");
        Check(options.LeaseSeconds >= 1, "LeaseSeconds must be 1 or more.");
        Check(options.BatchSize is >= 1 and <= 1000, "BatchSize must be between 1 and 1000.");
        Check(options.SenderConnections is >= 1 and <= 32, "SenderConnections must be between 1 and 32.");
        Check(options.SmtpTimeoutSeconds is >= 1 and <= 600, "SmtpTimeoutSeconds must be between 1 and 600.");
        Check(options.LastLines is >= 0 and <= 200, "LastLines must be between 0 and 200.");
        Check(options.LeaseSeconds > options.SmtpTimeoutSeconds * 3,
            "LeaseSeconds must be more than three times SmtpTimeoutSeconds: a message's claim must outlast connecting, authenticating and sending it.");
        return options;
    }

    static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{Section}:{message}");
        }
    }
}
