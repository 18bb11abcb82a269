using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>
/// The targets service in its own process learns a credential's WinRM authentication over the credentials service's
/// internal endpoint, so "Basic over HTTP" is refused there too, not only when both run in one process.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WinRmSplitModeTests
{
    [Fact]
    public async Task A_split_targets_service_refuses_basic_over_http_and_accepts_it_over_https()
    {
        var database = await TestDatabase.NewAsync();
        var shared = Directory.CreateTempSubdirectory("opsc-split-winrm-").FullName;
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
        long Id(System.Text.Json.JsonElement e) => e.GetProperty("id").GetInt64();
        var basic = Id(await credentialsClient.ExpectAsync(HttpStatusCode.Created, credentialsClient.PostAsync("/api/v1/credentials",
            new { name = Inventory.UniqueName("basic"), type = "winrm", username = "Administrator", authentication = "basic", secret = new { password = "Split-Basic-1" } })));
        var ntlm = Id(await credentialsClient.ExpectAsync(HttpStatusCode.Created, credentialsClient.PostAsync("/api/v1/credentials",
            new { name = Inventory.UniqueName("ntlm"), type = "winrm", username = "Administrator", authentication = "ntlm", secret = new { password = "Split-Ntlm-1" } })));

        object Target(long credentialId, bool https) => new
        {
            name = Inventory.UniqueName("win"),
            hostname = "win01.example.com",
            osType = "windows",
            credentialId,
            winrm = new { useHttps = https },
        };
        var refused = await inventoryClient.ExpectAsync(HttpStatusCode.BadRequest, inventoryClient.PostAsync("/api/v1/targets", Target(basic, https: false)));
        Assert.Contains("in the clear", refused.GetProperty("errors").GetProperty("credentialId")[0].GetString());
        Assert.Equal(5986, (await inventoryClient.ExpectAsync(HttpStatusCode.Created,
            inventoryClient.PostAsync("/api/v1/targets", Target(basic, https: true)))).GetProperty("port").GetInt32());
        Assert.Equal(5985, (await inventoryClient.ExpectAsync(HttpStatusCode.Created,
            inventoryClient.PostAsync("/api/v1/targets", Target(ntlm, https: false)))).GetProperty("port").GetInt32());
    }
}
