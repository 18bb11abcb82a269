using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Auth;

public sealed class RefreshTokenTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Refresh_rotates_the_token_and_the_new_access_token_works()
    {
        using var client = fixture.Anonymous();
        var first = await client.LoginAsync("admin", HostProcess.AdminPassword);

        var second = await client.ExpectAsync(HttpStatusCode.OK,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = first.Str("refreshToken") }));

        Assert.NotEqual(first.Str("refreshToken"), second.Str("refreshToken"));
        client.WithToken(second.Str("accessToken"));
        await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/api/v1/auth/me"));
    }

    [Fact]
    public async Task Reusing_a_spent_refresh_token_revokes_the_whole_family()
    {
        using var client = fixture.Anonymous();
        var first = await client.LoginAsync("admin", HostProcess.AdminPassword);
        var second = await client.ExpectAsync(HttpStatusCode.OK,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = first.Str("refreshToken") }));

        // A thief replays the first token: refused...
        await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = first.Str("refreshToken") }));
        // ...and the legitimate newer token of the same sign-in is revoked too.
        await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = second.Str("refreshToken") }));
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        using var client = fixture.Anonymous();
        var session = await client.LoginAsync("admin", HostProcess.AdminPassword);

        using var response = await client.PostAsync("/api/v1/auth/logout", new { refreshToken = session.Str("refreshToken") });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = session.Str("refreshToken") }));
    }

    [Fact]
    public async Task Other_sign_ins_survive_a_logout()
    {
        using var phone = fixture.Anonymous();
        using var laptop = fixture.Anonymous();
        var phoneSession = await phone.LoginAsync("admin", HostProcess.AdminPassword);
        var laptopSession = await laptop.LoginAsync("admin", HostProcess.AdminPassword);

        using var _ = await phone.PostAsync("/api/v1/auth/logout", new { refreshToken = phoneSession.Str("refreshToken") });

        await laptop.ExpectAsync(HttpStatusCode.OK,
            laptop.PostAsync("/api/v1/auth/refresh", new { refreshToken = laptopSession.Str("refreshToken") }));
    }

    [Fact]
    public async Task Changing_the_password_ends_existing_sessions()
    {
        var (user, id, _, password) = await fixture.UserAsync("viewer");
        using var client = fixture.Anonymous();
        var session = await client.LoginAsync((await user.ExpectAsync(HttpStatusCode.OK, user.GetAsync("/api/v1/auth/me"))).Str("username"), password);

        await user.ExpectAsync(HttpStatusCode.NoContent,
            user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = "A-brand-new-password-42" }));

        await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = session.Str("refreshToken") }));
        user.Dispose();
    }

    [Fact]
    public async Task A_made_up_refresh_token_is_refused()
    {
        using var client = fixture.Anonymous();
        await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/refresh", new { refreshToken = "made-up-token" }));
        await client.ExpectAsync(HttpStatusCode.BadRequest, client.PostAsync("/api/v1/auth/refresh", new { }));
    }
}
