using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.FirstSignIn;

/// <summary>A password someone else chose (an admin, or the generated bootstrap one) must be replaced before anything else.</summary>
public sealed class FirstSignInTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    const string Code = "password_change_required";

    static void AssertPasswordChangeRequired(JsonElement problem) => Assert.Equal(Code, problem.Str("code"));

    async Task<(long Id, string Username, string Password)> CreateUserAsync(ApiClient admin, bool? mustChangePassword = null)
    {
        var username = $"first-{Guid.NewGuid().ToString("N")[..8]}";
        var password = $"Pw-{Guid.NewGuid():N}";
        object body = mustChangePassword is { } flag
            ? new { username, role = "operator", password, mustChangePassword = flag }
            : new { username, role = "operator", password };
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users", body));
        return (created.GetProperty("id").GetInt64(), username, password);
    }

    [Fact]
    public async Task A_user_an_admin_created_can_do_nothing_but_change_the_password_then_everything()
    {
        using var admin = await fixture.AdminAsync();
        var (id, username, password) = await CreateUserAsync(admin);
        Assert.True((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users/{id}"))).GetProperty("mustChangePassword").GetBoolean());

        using var user = fixture.Anonymous();
        var session = await user.LoginAsync(username, password);
        Assert.True(session.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        var me = await user.ExpectAsync(HttpStatusCode.OK, user.GetAsync("/api/v1/auth/me"));
        Assert.True(me.GetProperty("mustChangePassword").GetBoolean());

        // Refused by the server whatever the client does, with a code a client can act on.
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden, user.GetAsync("/api/v1/jobs")));
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden, user.GetAsync("/api/v1/targets")));
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden, user.GetAsync($"/api/v1/users/{id}")));
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden,
            user.PutAsync($"/api/v1/users/{id}", new { fullName = "Sneaky" })));
        // A refresh keeps the requirement.
        var refreshed = await user.ExpectAsync(HttpStatusCode.OK, user.PostAsync("/api/v1/auth/refresh", new { refreshToken = session.Str("refreshToken") }));
        Assert.True(refreshed.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        user.WithToken(refreshed.Str("accessToken"));
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden, user.GetAsync("/api/v1/jobs")));

        // The policy applies, and the new password must be new.
        var same = await user.ExpectAsync(HttpStatusCode.BadRequest,
            user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = password }));
        Assert.Contains("differ", same.GetProperty("errors").GetProperty("newPassword")[0].GetString());
        var shortOne = await user.ExpectAsync(HttpStatusCode.BadRequest,
            user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = "short" }));
        Assert.Contains("at least 12", shortOne.GetProperty("errors").GetProperty("newPassword")[0].GetString());

        var chosen = $"Chosen-{Guid.NewGuid():N}";
        await user.ExpectAsync(HttpStatusCode.NoContent, user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = chosen }));

        using var again = fixture.Anonymous();
        var next = await again.LoginAsync(username, chosen);
        Assert.False(next.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync("/api/v1/jobs"));
        Assert.False((await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync("/api/v1/auth/me"))).GetProperty("mustChangePassword").GetBoolean());
        Assert.False((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users/{id}"))).GetProperty("mustChangePassword").GetBoolean());
    }

    [Fact]
    public async Task An_admin_reset_makes_the_user_change_the_password_again()
    {
        using var admin = await fixture.AdminAsync();
        var (id, username, _) = await CreateUserAsync(admin, mustChangePassword: false);
        var reset = $"Reset-{Guid.NewGuid():N}";
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.PutAsync($"/api/v1/users/{id}/password", new { newPassword = reset }));
        Assert.True((await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users/{id}"))).GetProperty("mustChangePassword").GetBoolean());

        using var user = fixture.Anonymous();
        Assert.True((await user.LoginAsync(username, reset)).GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        AssertPasswordChangeRequired(await user.ExpectAsync(HttpStatusCode.Forbidden, user.GetAsync("/api/v1/runs")));
    }

    [Fact]
    public async Task A_user_created_for_scripts_and_the_configured_admin_are_not_asked()
    {
        using var admin = fixture.Anonymous();
        Assert.False((await admin.LoginAsync("admin", HostProcess.AdminPassword)).GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        var (_, username, password) = await CreateUserAsync(admin, mustChangePassword: false);
        using var user = fixture.Anonymous();
        Assert.False((await user.LoginAsync(username, password)).GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        await user.ExpectAsync(HttpStatusCode.OK, user.GetAsync("/api/v1/jobs"));
    }

    [Fact]
    public async Task An_admin_who_must_change_the_password_sets_nobody_elses_first()
    {
        using var admin = await fixture.AdminAsync();
        var username = $"first-admin-{Guid.NewGuid().ToString("N")[..6]}";
        var password = $"Pw-{Guid.NewGuid():N}";
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users", new { username, role = "admin", password }));
        var (otherId, _, _) = await CreateUserAsync(admin, mustChangePassword: false);

        using var newAdmin = fixture.Anonymous();
        await newAdmin.LoginAsync(username, password);
        AssertPasswordChangeRequired(await newAdmin.ExpectAsync(HttpStatusCode.Forbidden,
            newAdmin.PutAsync($"/api/v1/users/{otherId}/password", new { newPassword = "Taken-over-password-1" })));
        AssertPasswordChangeRequired(await newAdmin.ExpectAsync(HttpStatusCode.Forbidden, newAdmin.GetAsync("/api/v1/users")));
    }

    [Fact]
    public async Task The_generated_bootstrap_password_must_be_changed_at_first_sign_in()
    {
        var data = Directory.CreateTempSubdirectory("opsc-first-").FullName;
        await using var host = await HostProcess.StartAsync(await TestDatabase.NewAsync(), dataDirectory: data, bootstrapPassword: false);
        var lines = host.Output.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains("created the account 'admin'"));
        Assert.True(index >= 0, host.Output);
        var generated = lines[index + 1].Trim();

        using var admin = host.Client();
        var session = await admin.LoginAsync("admin", generated);
        Assert.True(session.GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        var id = session.GetProperty("user").GetProperty("id").GetInt64();
        AssertPasswordChangeRequired(await admin.ExpectAsync(HttpStatusCode.Forbidden, admin.GetAsync("/api/v1/users")));
        await admin.ExpectAsync(HttpStatusCode.NoContent,
            admin.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = generated, newPassword = "My-own-admin-password-1" }));
        using var again = host.Client();
        Assert.False((await again.LoginAsync("admin", "My-own-admin-password-1")).GetProperty("user").GetProperty("mustChangePassword").GetBoolean());
        await again.ExpectAsync(HttpStatusCode.OK, again.GetAsync("/api/v1/users"));
    }
}
