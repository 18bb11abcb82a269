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
            new { username = "split-operator", role = "operator", password = "long-enough-password", mustChangePassword = false }));

        // The user created through the users process signs in through the auth process: one shared table.
        using var newcomer = auth.Client();
        var session = await newcomer.LoginAsync("split-operator", "long-enough-password");
        Assert.Equal("operator", session.GetProperty("user").Str("role"));
        usersClient.WithToken(session.Str("accessToken"));
        await usersClient.ExpectAsync(HttpStatusCode.Forbidden, usersClient.GetAsync("/api/v1/users"));
    }

    [Fact]
    public async Task Credentials_served_alone_refuses_deleting_a_credential_a_target_uses()
    {
        var database = await TestDatabase.NewAsync();
        var shared = Directory.CreateTempSubdirectory("opsc-split-cred-").FullName;
        if (!TestDatabase.IsPostgres)
        {
            database["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(shared, "opsconductor.db")}";
        }
        await using var inventory = await HostProcess.StartAsync(database, services: "auth,users,targets", dataDirectory: shared);
        var credentialsSettings = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(inventory.BaseAddress, "/api/v1/auth/jwks").ToString(),
        };
        await using var credentials = await HostProcess.StartAsync(credentialsSettings, services: "credentials", dataDirectory: shared);

        using var inventoryClient = inventory.Client();
        var token = (await inventoryClient.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        inventoryClient.WithToken(token);
        using var credentialsClient = credentials.Client().WithToken(token);
        var credential = await Inventory.PasswordCredentialAsync(credentialsClient);
        var target = await Inventory.SshTargetAsync(inventoryClient, credential, 22);

        // The credentials process learns of the target from the targets service's usage contract it loads.
        var refused = await credentialsClient.ExpectAsync(HttpStatusCode.Conflict, credentialsClient.DeleteAsync($"/api/v1/credentials/{credential}"));
        Assert.Contains("is used by", refused.Str("detail"));

        await inventoryClient.ExpectAsync(HttpStatusCode.NoContent, inventoryClient.DeleteAsync($"/api/v1/targets/{target}"));
        await credentialsClient.ExpectAsync(HttpStatusCode.NoContent, credentialsClient.DeleteAsync($"/api/v1/credentials/{credential}"));
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

/// <summary>Split mode with the executor in its own process, reading secrets only over the credentials service's internal endpoint.</summary>
public sealed class SplitExecutorTests
{
    [Fact]
    public async Task A_separate_executor_runs_jobs_without_the_master_key_using_a_service_token()
    {
        await using var sshd = await SshServer.StartAsync();
        await using var split = await SplitServices.StartAsync("opsc-split-exec-");
        var (auth, credentials, withAuth) = (split.Auth, split.Credentials, split.WithAuth);
        await using var api = await HostProcess.StartAsync(withAuth, services: "users,targets,jobs", dataDirectory: Path.Combine(split.Root, "shared"));
        var executorData = Path.Combine(split.Root, "executor");
        await using var executor = await HostProcess.StartAsync(split.WithRemoteCredentials, services: "executor", dataDirectory: executorData);

        using var admin = auth.Client();
        var token = (await admin.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        using var credentialsClient = credentials.Client().WithToken(token);
        using var apiClient = api.Client().WithToken(token);
        var credential = await Inventory.PasswordCredentialAsync(credentialsClient);
        var target = await Inventory.SshTargetAsync(apiClient, credential, sshd.Port, hostKeyFingerprint: sshd.HostKeyFingerprint);
        var job = await apiClient.ExpectAsync(HttpStatusCode.Created, apiClient.PostAsync("/api/v1/jobs", new
        {
            name = "split-run",
            steps = new[] { new { name = "who", type = "command", script = "whoami" } },
            targets = new { targetIds = new[] { target } },
        }));
        var runId = await FleetFixture.StartAsync(apiClient, job.GetProperty("id").GetInt64());
        var run = await FleetFixture.WaitAsync(apiClient, runId);

        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal(SshServer.User, run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
        var log = await credentialsClient.ExpectAsync(HttpStatusCode.OK, credentialsClient.GetAsync($"/api/v1/credentials/{credential}/access-log"));
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.ToString().Contains("executor") && e.ToString().Contains(runId.ToString()));
        Assert.False(File.Exists(Path.Combine(executorData, "keys", "master.key")), "the executor process must not hold the master key");

        // A user's token cannot use the internal endpoint.
        await credentialsClient.ExpectAsync(HttpStatusCode.Forbidden, credentialsClient.PostAsync($"/api/v1/credentials/internal/{credential}/secret", new { purpose = "steal" }));
        Assert.DoesNotContain(SshServer.Password, executor.Output + credentials.Output);
    }
}
