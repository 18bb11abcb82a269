using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>Logout ends only your own session.</summary>
public sealed class LogoutOwnerTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task An_operator_cannot_end_the_admins_session()
    {
        using var admin = fixture.Anonymous();
        var session = await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var (op, _, _, _) = await fixture.UserAsync("operator");
        using var _op = op;

        await op.ExpectAsync(HttpStatusCode.NoContent, op.PostAsync("/api/v1/auth/logout", new { refreshToken = session.Str("refreshToken") }));

        var refreshed = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/auth/refresh", new { refreshToken = session.Str("refreshToken") }));
        // The owner can still end it.
        admin.WithToken(refreshed.Str("accessToken"));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.PostAsync("/api/v1/auth/logout", new { refreshToken = refreshed.Str("refreshToken") }));
        await admin.ExpectAsync(HttpStatusCode.Unauthorized, admin.PostAsync("/api/v1/auth/refresh", new { refreshToken = refreshed.Str("refreshToken") }));
    }
}

public sealed class ShortSessionFixture : HostFixture
{
    // About 6 seconds: a sign-in's absolute age limit, however often it is refreshed.
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Auth__MaxSessionDays"] = "0.00007",
    };
}

/// <summary>Refreshing slides a session's expiry, but never past its absolute age.</summary>
public sealed class SessionAgeTests(ShortSessionFixture fixture) : IClassFixture<ShortSessionFixture>
{
    [Fact]
    public async Task A_session_refreshed_again_and_again_still_ends_at_its_maximum_age()
    {
        using var client = fixture.Anonymous();
        var started = DateTime.UtcNow;
        var refreshToken = (await client.LoginAsync("admin", HostProcess.AdminPassword)).Str("refreshToken");
        var refreshes = 0;
        HttpStatusCode status;
        do
        {
            await Task.Delay(1000);
            using var response = await client.PostAsync("/api/v1/auth/refresh", new { refreshToken });
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                refreshToken = (await ApiClient.Json(response)).Str("refreshToken");
                refreshes++;
            }
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - started < TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(refreshes >= 2, $"only {refreshes} refreshes succeeded before the end");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the session outlived its maximum age");
        // Signing in again starts a new session.
        await client.LoginAsync("admin", HostProcess.AdminPassword);
    }
}
