using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace OpsConductor.Auth;

/// <summary>
/// The web UI's refresh token: an HttpOnly, SameSite=Strict cookie that only the auth endpoints see (refresh,
/// logout), so script injected into the page cannot read it. A browser asks for it by sending
/// <see cref="CsrfHeader"/> on login; refresh and logout by cookie need the header too, which a cross-site form
/// cannot send. API clients keep the JSON body token and never get the cookie.
/// </summary>
public sealed class RefreshCookie(SessionOptions sessions, TimeProvider clock, bool alwaysSecure)
{
    public const string Name = "opsc_refresh";
    public const string Path = "/api/v1/auth";
    public const string CsrfHeader = "X-OpsConductor-Csrf";

    /// <summary>true: Secure even on plain HTTP requests (a TLS proxy the host does not trust as a proxy); default: Secure over HTTPS.</summary>
    public const string AlwaysSecureSetting = "OpsConductor:Auth:RefreshCookieAlwaysSecure";

    public static RefreshCookie From(IConfiguration configuration, SessionOptions sessions, TimeProvider clock) =>
        new(sessions, clock, configuration.GetValue(AlwaysSecureSetting, false));

    public static bool IsBrowser(HttpRequest request) => request.Headers[CsrfHeader] is [{ Length: > 0 }];

    public static string? Read(HttpRequest request) => request.Cookies[Name] is { Length: > 0 } token ? token : null;

    public void Write(HttpContext http, string refreshToken) =>
        http.Response.Cookies.Append(Name, refreshToken, Options(http, clock.GetUtcNow() + sessions.RefreshTokenLifetime));

    public void Delete(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, DateTimeOffset.UnixEpoch));

    CookieOptions Options(HttpContext http, DateTimeOffset expires) => new()
    {
        Path = Path,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = alwaysSecure || http.Request.IsHttps,
        Expires = expires,
        IsEssential = true,
    };
}
