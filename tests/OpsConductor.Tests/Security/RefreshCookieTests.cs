using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// The web UI's refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth, never in a
/// response body a script could read; using it needs the CSRF header. API clients keep the JSON body token.
/// </summary>
public sealed class RefreshCookieTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    public const string CsrfHeader = "X-OpsConductor-Csrf";

    [Fact]
    public async Task A_browser_session_keeps_its_refresh_token_in_an_HttpOnly_cookie_that_rotates_and_ends_on_logout()
    {
        using var http = NoCookieJar(fixture.Host.BaseAddress);
        using var login = await http.SendAsync(Browser(HttpMethod.Post, "/api/v1/auth/login", new { username = "admin", password = HostProcess.AdminPassword }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await ApiClient.Json(login);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("refreshToken").ValueKind);
        var first = SessionCookie(login);
        Assert.Contains("httponly", first.Attributes);
        Assert.Contains("samesite=strict", first.Attributes);
        Assert.Contains("path=/api/v1/auth", first.Attributes);
        Assert.DoesNotContain("secure", first.Attributes); // plain http (the all-in-one host on localhost)
        Assert.Contains(first.Attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));

        using var refreshed = await http.SendAsync(Browser(HttpMethod.Post, "/api/v1/auth/refresh", cookie: first.Value));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var pair = await ApiClient.Json(refreshed);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pair.GetProperty("refreshToken").ValueKind);
        var second = SessionCookie(refreshed);
        Assert.NotEqual(first.Value, second.Value);
        var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.Str("accessToken"));
        using (var meResponse = await http.SendAsync(me))
        {
            Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);
        }

        var logout = Browser(HttpMethod.Post, "/api/v1/auth/logout", cookie: second.Value);
        logout.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.Str("accessToken"));
        using var loggedOut = await http.SendAsync(logout);
        Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        var cleared = SessionCookie(loggedOut);
        Assert.Equal("", cleared.Value);
        Assert.Contains("path=/api/v1/auth", cleared.Attributes);
        using var afterLogout = await http.SendAsync(Browser(HttpMethod.Post, "/api/v1/auth/refresh", cookie: second.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task The_cookie_is_refused_without_the_CSRF_header_so_a_cross_site_form_cannot_use_it()
    {
        using var http = NoCookieJar(fixture.Host.BaseAddress);
        using var login = await http.SendAsync(Browser(HttpMethod.Post, "/api/v1/auth/login", new { username = "admin", password = HostProcess.AdminPassword }));
        var cookie = SessionCookie(login).Value;

        var forged = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh");
        forged.Headers.Add("Cookie", $"opsc_refresh={cookie}");
        using var refused = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(CsrfHeader, await refused.Content.ReadAsStringAsync());
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        // The refused request did not spend the token: the UI's own refresh still works.
        using var refreshed = await http.SendAsync(Browser(HttpMethod.Post, "/api/v1/auth/refresh", cookie: cookie));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task Api_clients_keep_the_refresh_token_in_the_json_body_and_get_no_cookie()
    {
        using var http = NoCookieJar(fixture.Host.BaseAddress);
        using var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = HostProcess.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.False(login.Headers.Contains("Set-Cookie"));
        var token = (await ApiClient.Json(login)).Str("refreshToken");
        Assert.NotEmpty(token);

        using var refreshed = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(refreshed.Headers.Contains("Set-Cookie"));
        var next = (await ApiClient.Json(refreshed)).Str("refreshToken");
        Assert.NotEmpty(next);
        Assert.NotEqual(token, next);

        using var missing = await http.PostAsJsonAsync("/api/v1/auth/refresh", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    public static HttpClient NoCookieJar(Uri baseAddress, HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>What the web UI sends: the CSRF header, the session cookie when it has one.</summary>
    public static HttpRequestMessage Browser(HttpMethod method, string path, object? body = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(CsrfHeader, "1");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"opsc_refresh={cookie}");
        }
        return request;
    }

    public sealed record Cookie(string Value, IReadOnlyList<string> Attributes);

    /// <summary>The one Set-Cookie for the refresh token, its attributes lower-cased.</summary>
    public static Cookie SessionCookie(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var values), "no Set-Cookie header");
        var cookie = Assert.Single(values, v => v.StartsWith("opsc_refresh=", StringComparison.Ordinal));
        var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
        return new Cookie(parts[0]["opsc_refresh=".Length..], [.. parts.Skip(1).Select(p => p.ToLowerInvariant())]);
    }
}
