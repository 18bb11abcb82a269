using Microsoft.Extensions.Configuration;

namespace OpsConductor.Auth;

/// <summary><c>OpsConductor:Auth:Throttle:*</c>: how failed sign-ins and failed service-token requests are slowed down.</summary>
public sealed record LoginThrottleOptions
{
    /// <summary>Failures of one username from one client address before that pair gets 429.</summary>
    public int MaxFailuresPerUserAndClient { get; init; } = 5;

    /// <summary>Failures from one client address, whatever the usernames, before that address gets 429.</summary>
    public int MaxFailuresPerClient { get; init; } = 20;

    /// <summary>Failures of one username from all addresses before its sign-ins from untrusted addresses are delayed.</summary>
    public int UserDelayAfterFailures { get; init; } = 5;

    /// <summary>The delay grows by a second per further failure up to this; never a refusal.</summary>
    public int MaxUserDelaySeconds { get; init; } = 5;

    /// <summary>An address a user signed in from stays trusted (no per-user delay) this long.</summary>
    public int TrustedAddressDays { get; init; } = 30;

    /// <summary>Wrong service secrets from one client address before it gets 429 (a right secret is never refused).</summary>
    public int MaxServiceTokenFailuresPerClient { get; init; } = 10;

    public int WindowSeconds { get; init; } = 900;

    public static LoginThrottleOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("OpsConductor:Auth:Throttle");
        if (section["MaxFailuresPerUser"] is not null)
        {
            // Renamed when the per-user lock became per (user, address): an old value must not be silently ignored.
            throw new InvalidOperationException(
                "OpsConductor:Auth:Throttle:MaxFailuresPerUser was replaced by MaxFailuresPerUserAndClient (failures per username and client address).");
        }
        var options = section.Get<LoginThrottleOptions>() ?? new LoginThrottleOptions();
        if (options.MaxFailuresPerUserAndClient < 1 || options.MaxFailuresPerClient < 1 || options.UserDelayAfterFailures < 1
            || options.MaxServiceTokenFailuresPerClient < 1 || options.WindowSeconds < 1 || options.MaxUserDelaySeconds is < 0 or > 60
            || options.TrustedAddressDays < 0)
        {
            throw new InvalidOperationException(
                "OpsConductor:Auth:Throttle: the failure limits and WindowSeconds must be 1 or more, MaxUserDelaySeconds 0 to 60, TrustedAddressDays 0 or more.");
        }
        return options;
    }
}
