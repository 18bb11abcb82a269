using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// The compose layout: every service gets only the key material it uses. Auth alone has the signing key,
/// credentials alone the master key; targets and the executor read credentials over HTTP; jobs and the executor
/// share only the Data Protection key ring that seals secret run parameters.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class KeyIsolationTests
{
    [Fact]
    public async Task Each_service_runs_with_only_its_own_keys_and_a_job_with_a_secret_parameter_still_runs()
    {
        await using var sshd = await SshServer.StartAsync();
        var database = await TestDatabase.NewAsync();
        var root = Directory.CreateTempSubdirectory("opsc-keys-").FullName;
        string Dir(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        if (!TestDatabase.IsPostgres)
        {
            database["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(Dir("db"), "opsconductor.db")}";
        }
        const string serviceSecret = "key-isolation-service-secret-0123456789";

        // The data-protection volume, mounted into jobs and executor only.
        var dataProtection = Dir("data-protection");
        foreach (var service in new[] { "jobs", "executor" })
        {
            Directory.CreateSymbolicLink(Path.Combine(Directory.CreateDirectory(Path.Combine(root, service, "keys")).FullName, "data-protection"), dataProtection);
        }

        var authSettings = new Dictionary<string, string>(database) { ["OpsConductor__Auth__ServiceSecret"] = serviceSecret };
        await using var auth = await HostProcess.StartAsync(authSettings, services: "auth", dataDirectory: Dir("auth"));
        var common = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(auth.BaseAddress, "/api/v1/auth/jwks").ToString(),
            ["OpsConductor__Auth__Url"] = auth.BaseAddress.ToString(),
        };
        await using var credentials = await HostProcess.StartAsync(common, services: "credentials", dataDirectory: Dir("credentials"));
        var remote = new Dictionary<string, string>(common)
        {
            ["OpsConductor__Remote__Credentials"] = credentials.BaseAddress.ToString(),
            ["OpsConductor__Auth__ServiceSecret"] = serviceSecret,
        };
        await using var targets = await HostProcess.StartAsync(remote, services: "users,targets", dataDirectory: Dir("targets"));
        await using var jobs = await HostProcess.StartAsync(common, services: "jobs", dataDirectory: Path.Combine(root, "jobs"));
        await using var executor = await HostProcess.StartAsync(remote, services: "executor", dataDirectory: Path.Combine(root, "executor"));

        using var login = auth.Client();
        var token = (await login.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        using var credentialsClient = credentials.Client().WithToken(token);
        using var targetsClient = targets.Client().WithToken(token);
        using var jobsClient = jobs.Client().WithToken(token);

        // Targets checks the credential reference and reads the secret over HTTP.
        var credential = await Inventory.PasswordCredentialAsync(credentialsClient);
        var target = await Inventory.SshTargetAsync(targetsClient, credential, sshd.Port, hostKeyFingerprint: sshd.HostKeyFingerprint);
        var check = await targetsClient.ExpectAsync(HttpStatusCode.OK, targetsClient.PostAsync($"/api/v1/targets/{target}/check"));
        Assert.Equal("healthy", check.Str("status"));
        await targetsClient.ExpectAsync(HttpStatusCode.BadRequest, targetsClient.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("target"),
            hostname = "127.0.0.1",
            osType = "linux",
            connection = "ssh",
            credentialId = credential + 1000,
        }));

        // Jobs seals the secret parameter; the executor unseals it with the shared key ring.
        var job = await jobsClient.ExpectAsync(HttpStatusCode.Created, jobsClient.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("job"),
            parameters = new[] { new { name = "token", type = "secret", required = true } },
            steps = new[] { new { name = "length", type = "command", script = "printf %s {{token}} | wc -c" } },
            targets = new { targetIds = new[] { target } },
        }));
        var runId = await FleetFixture.StartAsync(jobsClient, job.GetProperty("id").GetInt64(), new { token = "seventeen-letters" });
        var run = await FleetFixture.WaitAsync(jobsClient, runId);
        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal("17", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout").Trim());

        string Key(string service, string file) => Path.Combine(root, service, "keys", file);
        Assert.True(File.Exists(Key("auth", "jwt-signing-key.pem")));
        Assert.True(File.Exists(Key("credentials", "master.key")));
        foreach (var service in new[] { "auth", "targets", "jobs", "executor" })
        {
            Assert.False(File.Exists(Key(service, "master.key")), $"{service} must not hold the master key");
        }
        foreach (var service in new[] { "credentials", "targets", "jobs", "executor" })
        {
            Assert.False(File.Exists(Key(service, "jwt-signing-key.pem")), $"{service} must not hold the signing key");
        }
        Assert.NotEmpty(Directory.GetFiles(dataProtection, "key-*.xml"));
    }
}
