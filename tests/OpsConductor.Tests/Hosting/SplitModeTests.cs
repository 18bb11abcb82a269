using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>The same binary, one service per process, sharing the database, as in a split deployment.</summary>
public sealed class SplitModeTests
{
    [Fact]
    public async Task Auth_and_users_in_separate_processes_trust_each_other_through_jwks()
    {
        var database = await TestDatabase.NewAsync();
        var data = Directory.CreateTempSubdirectory("opsc-split-").FullName;
        await using var auth = await HostProcess.StartAsync(database, services: "auth", dataDirectory: Path.Combine(data, "auth"));
        var usersSettings = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(auth.BaseAddress, "/api/v1/auth/jwks").ToString(),
        };
        if (!TestDatabase.IsPostgres)
        {
            // SQLite: both processes open the same database file.
            usersSettings["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(data, "auth", "opsconductor.db")}";
        }
        await using var users = await HostProcess.StartAsync(usersSettings, services: "users", dataDirectory: Path.Combine(data, "users"));

        using var authClient = auth.Client();
        using var usersClient = users.Client();
        var health = await usersClient.ExpectAsync(HttpStatusCode.OK, usersClient.GetAsync("/health"));
        Assert.Equal("users", health.Str("service"));

        // A token from auth is accepted by users, which verified it with auth's published key.
        var token = (await authClient.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        usersClient.WithToken(token);

        // Each process serves only its own paths.
        await authClient.ExpectAsync(HttpStatusCode.NotFound, authClient.GetAsync("/api/v1/users"));
        await usersClient.ExpectAsync(HttpStatusCode.NotFound, usersClient.PostAsync("/api/v1/auth/login", new { username = "admin", password = "x" }));
        await usersClient.ExpectAsync(HttpStatusCode.Created, usersClient.PostAsync("/api/v1/users",
            new { username = "split-operator", role = "operator", password = "long-enough-password" }));

        // The user created through the users process signs in through the auth process: one shared table.
        using var newcomer = auth.Client();
        var session = await newcomer.LoginAsync("split-operator", "long-enough-password");
        Assert.Equal("operator", session.GetProperty("user").Str("role"));
        usersClient.WithToken(session.Str("accessToken"));
        await usersClient.ExpectAsync(HttpStatusCode.Forbidden, usersClient.GetAsync("/api/v1/users"));
    }

    [Fact]
    public async Task Tokens_signed_by_another_installation_are_refused()
    {
        await using var ours = await HostProcess.StartAsync(await TestDatabase.NewAsync());
        await using var theirs = await HostProcess.StartAsync(await TestDatabase.NewAsync());
        using var theirClient = theirs.Client();
        var foreignToken = (await theirClient.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");

        using var ourClient = ours.Client();
        ourClient.WithToken(foreignToken);
        await ourClient.ExpectAsync(HttpStatusCode.Unauthorized, ourClient.GetAsync("/api/v1/users"));
    }
}
