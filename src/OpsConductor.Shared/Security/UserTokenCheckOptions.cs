using Microsoft.Extensions.Configuration;

namespace OpsConductor.Shared.Security;

/// <summary><c>OpsConductor:Auth:UserCheckSeconds</c>: how long <see cref="UserTokenCheck"/> trusts its answer about an account.</summary>
public sealed record UserTokenCheckOptions
{
    public double UserCheckSeconds { get; init; } = 5;

    public TimeSpan CacheFor => TimeSpan.FromSeconds(UserCheckSeconds);

    /// <summary>Read and checked while the host is built, so a bad value stops the start instead of the first request.</summary>
    public static UserTokenCheckOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("OpsConductor:Auth").Get<UserTokenCheckOptions>() ?? new UserTokenCheckOptions();
        if (options.UserCheckSeconds is not (>= 0 and <= 60))
        {
            throw new InvalidOperationException("OpsConductor:Auth:UserCheckSeconds must be between 0 and 60.");
        }
        return options;
    }
}
