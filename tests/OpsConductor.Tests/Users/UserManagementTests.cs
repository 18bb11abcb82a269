using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Users;

public sealed class UserManagementTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Admin_creates_finds_updates_and_deletes_a_user()
    {
        using var admin = await fixture.AdminAsync();
        var name = "maria-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users",
            new { username = name, email = $"{name}@example.com", fullName = "Maria Lopez", role = "operator", password = "correct-horse-battery" }));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("operator", created.Str("role"));
        Assert.False(created.TryGetProperty("password", out _));
        Assert.False(created.TryGetProperty("passwordHash", out _));

        var found = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users?search={name.ToUpperInvariant()}"));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(name, found.GetProperty("items")[0].Str("username"));

        var updated = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/users/{id}", new { fullName = "Maria L.", role = "viewer" }));
        Assert.Equal("Maria L.", updated.Str("fullName"));
        Assert.Equal("viewer", updated.Str("role"));

        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/users/{id}"));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.GetAsync($"/api/v1/users/{id}"));
    }

    [Fact]
    public async Task Lists_page_and_filter_by_role()
    {
        using var admin = await fixture.AdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users",
                new { username = $"page{tag}-{i}", role = "viewer", password = "long-enough-password" }));
        }

        var first = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users?search=page{tag}&pageSize=2&page=1"));
        var second = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users?search=page{tag}&pageSize=2&page=2"));
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        Assert.Equal($"page{tag}-2", second.GetProperty("items")[0].Str("username"));

        var admins = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/users?role=admin"));
        Assert.All(admins.GetProperty("items").EnumerateArray(), u => Assert.Equal("admin", u.Str("role")));
    }

    [Fact]
    public async Task Duplicate_usernames_are_a_conflict_regardless_of_case()
    {
        using var admin = await fixture.AdminAsync();
        var name = "dup" + Guid.NewGuid().ToString("N")[..6];
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users", new { username = name, role = "viewer", password = "long-enough-password" }));
        var problem = await admin.ExpectAsync(HttpStatusCode.Conflict,
            admin.PostAsync("/api/v1/users", new { username = name.ToUpperInvariant(), role = "viewer", password = "long-enough-password" }));
        Assert.Contains("taken", problem.Str("detail"));
    }

    [Fact]
    public async Task Short_passwords_are_refused_with_the_policy_in_the_message()
    {
        using var admin = await fixture.AdminAsync();
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest,
            admin.PostAsync("/api/v1/users", new { username = "shorty", role = "viewer", password = "elevenchars" }));
        var message = problem.GetProperty("errors").GetProperty("password")[0].GetString();
        Assert.Contains("at least 12 characters", message);
        await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/users?search=shorty"));
        var list = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/users?search=shorty"));
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_deleted_nor_demoted_nor_disabled()
    {
        // A host of its own: other tests here may create admins.
        await using var host = await HostProcess.StartAsync(await TestDatabase.NewAsync());
        using var admin = host.Client();
        var me = await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var id = me.GetProperty("user").GetProperty("id").GetInt64();

        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"/api/v1/users/{id}"));
        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PutAsync($"/api/v1/users/{id}", new { role = "operator" }));
        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PutAsync($"/api/v1/users/{id}", new { disabled = true }));
        var still = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/users/{id}"));
        Assert.Equal("admin", still.Str("role"));

        // With a second admin, the first may step down.
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users", new { username = "second-admin", role = "admin", password = "long-enough-password" }));
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/users/{id}", new { role = "operator" }));
    }

    [Fact]
    public async Task Users_edit_their_own_profile_but_not_their_role()
    {
        var (user, id, _, _) = await fixture.UserAsync("viewer");
        using var _u = user;
        var updated = await user.ExpectAsync(HttpStatusCode.OK, user.PutAsync($"/api/v1/users/{id}", new { fullName = "New Name", email = "new@example.com" }));
        Assert.Equal("New Name", updated.Str("fullName"));
        await user.ExpectAsync(HttpStatusCode.Forbidden, user.PutAsync($"/api/v1/users/{id}", new { role = "admin" }));
        var self = await user.ExpectAsync(HttpStatusCode.OK, user.GetAsync($"/api/v1/users/{id}"));
        Assert.Equal("viewer", self.Str("role"));
    }

    [Fact]
    public async Task Changing_your_own_password_needs_the_current_one()
    {
        var (user, id, username, password) = await fixture.UserAsync("operator");
        using var _u = user;
        await user.ExpectAsync(HttpStatusCode.BadRequest, user.PutAsync($"/api/v1/users/{id}/password", new { newPassword = "another-long-password" }));
        await user.ExpectAsync(HttpStatusCode.BadRequest,
            user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = "wrong-current-password", newPassword = "another-long-password" }));
        await user.ExpectAsync(HttpStatusCode.NoContent,
            user.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = "another-long-password" }));

        using var client = fixture.Anonymous();
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.PostAsync("/api/v1/auth/login", new { username, password }));
        await client.LoginAsync(username, "another-long-password");
    }

    [Fact]
    public async Task An_admin_resets_another_users_password_without_knowing_it()
    {
        var (user, id, username, _) = await fixture.UserAsync("viewer");
        user.Dispose();
        using var admin = await fixture.AdminAsync();
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.PutAsync($"/api/v1/users/{id}/password", new { newPassword = "reset-by-the-admin-1" }));
        using var client = fixture.Anonymous();
        await client.LoginAsync(username, "reset-by-the-admin-1");
    }
}
