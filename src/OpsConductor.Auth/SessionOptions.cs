using Microsoft.Extensions.Configuration;

namespace OpsConductor.Auth;

/// <summary>Token lifetimes; <see cref="MaxSessionAge"/> caps a sign-in however often its refresh token is used.</summary>
public sealed record SessionOptions(TimeSpan AccessTokenLifetime, TimeSpan RefreshTokenLifetime, TimeSpan MaxSessionAge)
{
    /// <summary>
    /// <c>OpsConductor:Auth:AccessTokenSeconds</c> (900), <c>RefreshTokenDays</c> (7) and <c>MaxSessionDays</c> (30),
    /// checked while the host is built.
    /// </summary>
    public static SessionOptions From(IConfiguration configuration)
    {
        var accessSeconds = configuration.GetValue("OpsConductor:Auth:AccessTokenSeconds", 900.0);
        var refreshDays = configuration.GetValue("OpsConductor:Auth:RefreshTokenDays", 7.0);
        var maxSessionDays = configuration.GetValue("OpsConductor:Auth:MaxSessionDays", 30.0);
        if (accessSeconds <= 0)
        {
            throw new InvalidOperationException("OpsConductor:Auth:AccessTokenSeconds must be greater than 0.");
        }
        if (refreshDays <= 0)
        {
            throw new InvalidOperationException("OpsConductor:Auth:RefreshTokenDays must be greater than 0.");
        }
        if (maxSessionDays <= 0)
        {
            throw new InvalidOperationException("OpsConductor:Auth:MaxSessionDays must be greater than 0.");
        }
        return new SessionOptions(TimeSpan.FromSeconds(accessSeconds), TimeSpan.FromDays(refreshDays), TimeSpan.FromDays(maxSessionDays));
    }
}
