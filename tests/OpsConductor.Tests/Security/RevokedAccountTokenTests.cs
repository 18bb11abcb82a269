using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>An access token stops working as soon as its account is deleted, disabled, re-passworded or given another role.</summary>
public sealed class RevokedAccountTokenTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    static object NewCredential() => new { name = Inventory.UniqueName("pw"), type = "password", username = "deploy", secret = new { password = "x" } };

    [Fact]
    public async Task A_deleted_users_token_can_no_longer_create_anything()
    {
        var (op, id, _, _) = await fixture.UserAsync("operator");
        using var _op = op;
        await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/credentials", NewCredential()));
        using var admin = await fixture.AdminAsync();

        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/users/{id}"));

        await op.ExpectAsync(HttpStatusCode.Unauthorized, op.PostAsync("/api/v1/credentials", NewCredential()));
        await op.ExpectAsync(HttpStatusCode.Unauthorized, op.GetAsync("/api/v1/jobs"));
    }

    [Fact]
    public async Task A_disabled_users_token_is_refused()
    {
        var (op, id, _, _) = await fixture.UserAsync("operator");
        using var _op = op;
        using var admin = await fixture.AdminAsync();

        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/users/{id}", new { disabled = true }));

        await op.ExpectAsync(HttpStatusCode.Unauthorized, op.GetAsync("/api/v1/targets"));
    }

    [Fact]
    public async Task A_password_change_refuses_tokens_issued_before_it()
    {
        var (op, id, username, password) = await fixture.UserAsync("operator");
        using var _op = op;
        using var laptop = fixture.Anonymous();
        await laptop.LoginAsync(username, password);
        await Task.Delay(1100); // token times are whole seconds: the change must fall in a later second

        await op.ExpectAsync(HttpStatusCode.NoContent,
            op.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = password, newPassword = "A-brand-new-password-42" }));

        await laptop.ExpectAsync(HttpStatusCode.Unauthorized, laptop.GetAsync("/api/v1/jobs"));
        using var fresh = fixture.Anonymous();
        await fresh.LoginAsync(username, "A-brand-new-password-42");
        await fresh.ExpectAsync(HttpStatusCode.OK, fresh.GetAsync("/api/v1/jobs"));
    }

    [Fact]
    public async Task A_demoted_users_token_loses_the_old_role()
    {
        var (op, id, username, password) = await fixture.UserAsync("operator");
        using var _op = op;
        using var admin = await fixture.AdminAsync();

        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/users/{id}", new { role = "viewer" }));

        await op.ExpectAsync(HttpStatusCode.Unauthorized, op.PostAsync("/api/v1/credentials", NewCredential()));
        using var again = fixture.Anonymous();
        await again.LoginAsync(username, password);
        await again.ExpectAsync(HttpStatusCode.Forbidden, again.PostAsync("/api/v1/credentials", NewCredential()));
    }
}

/// <summary>Split mode: a process that does not serve users still learns, within its short cache, that an account is gone.</summary>
public sealed class SplitRevokedAccountTokenTests
{
    [Fact]
    public async Task The_jobs_process_refuses_a_deleted_users_token_within_the_cache_bound()
    {
        var database = await TestDatabase.NewAsync();
        var data = Directory.CreateTempSubdirectory("opsc-split-revoke-").FullName;
        await using var identity = await HostProcess.StartAsync(database, services: "auth,users", dataDirectory: Path.Combine(data, "identity"));
        var jobsSettings = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(identity.BaseAddress, "/api/v1/auth/jwks").ToString(),
            ["OpsConductor__Auth__UserCheckSeconds"] = "1",
        };
        if (!TestDatabase.IsPostgres)
        {
            jobsSettings["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(data, "identity", "opsconductor.db")}";
        }
        await using var jobs = await HostProcess.StartAsync(jobsSettings, services: "jobs", dataDirectory: Path.Combine(data, "jobs"));

        using var admin = identity.Client();
        await admin.LoginAsync("admin", HostProcess.AdminPassword);
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users",
            new { username = "split-leaver", role = "operator", password = "long-enough-password", mustChangePassword = false }));
        using var leaver = jobs.Client();
        leaver.WithToken((await identity.Client().LoginAsync("split-leaver", "long-enough-password")).Str("accessToken"));
        await leaver.ExpectAsync(HttpStatusCode.OK, leaver.GetAsync("/api/v1/jobs"));

        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/users/{created.GetProperty("id").GetInt64()}"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            using var response = await leaver.GetAsync("/api/v1/jobs");
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
