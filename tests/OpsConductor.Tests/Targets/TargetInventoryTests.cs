using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>The inventory: CRUD, normalized tags, search and filters, defaults and validation.</summary>
public sealed class TargetInventoryTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Targets_are_created_filtered_by_tag_and_searched_by_name_or_hostname()
    {
        using var admin = await fixture.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var web = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/targets", new
        {
            name = $"Web-{marker}",
            hostname = $"web-{marker}.example.com",
            osType = "linux",
            credentialId = credential,
            tags = new[] { " Prod ", "WEB", "prod" },
            description = "front end",
        }));
        Assert.Equal(22, web.GetProperty("port").GetInt32());
        Assert.Equal("ssh", web.Str("connection"));
        Assert.Equal("unknown", web.Str("status"));
        Assert.Equal(["prod", "web"], web.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/targets", new
        {
            name = $"db-{marker}",
            hostname = $"10.0.0.{Random.Shared.Next(1, 250)}",
            osType = "linux",
            credentialId = credential,
            tags = new[] { "prod", "db" },
            port = 2222,
        }));

        async Task<string[]> Names(string query) =>
            (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets?{query}"))).GetProperty("items").EnumerateArray()
                .Select(t => t.Str("name")).Where(n => n.EndsWith(marker)).ToArray();

        Assert.Equal([$"db-{marker}", $"Web-{marker}"], await Names("tag=PROD"));
        Assert.Equal([$"Web-{marker}"], await Names("tag=prod&tag=web"));
        Assert.Equal([$"Web-{marker}"], await Names($"search=WEB-{marker}.example"));
        Assert.Equal([$"db-{marker}"], await Names($"search=db-{marker}"));
        Assert.Equal([$"db-{marker}", $"Web-{marker}"], await Names("osType=linux&status=unknown"));
        Assert.Empty(await Names("osType=windows"));
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/targets?status=sleeping"));
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/targets?pageSize=501"));

        var id = web.GetProperty("id").GetInt64();
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/targets/{id}", new
        {
            name = $"Web-{marker}",
            hostname = $"web-{marker}.example.com",
            port = 2200,
            osType = "linux",
            credentialId = credential,
            tags = new[] { "staging" },
        }));
        Assert.Equal(2200, updated.GetProperty("port").GetInt32());
        Assert.Equal(["staging"], updated.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal([$"db-{marker}"], await Names("tag=prod"));

        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PostAsync("/api/v1/targets", new
        {
            name = $"WEB-{marker}",
            hostname = "x.example.com",
            osType = "linux",
            credentialId = credential,
        }));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/targets/{id}"));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.GetAsync($"/api/v1/targets/{id}"));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.PostAsync($"/api/v1/targets/{id}/check"));
    }

    [Fact]
    public async Task Winrm_ports_default_by_transport()
    {
        using var admin = await fixture.AdminAsync();
        var credential = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/credentials", new
        {
            name = Inventory.UniqueName("win"),
            type = "winrm",
            username = "Administrator",
            authentication = "ntlm",
            secret = new { password = "Win-Pw-2" },
        }));
        var https = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("win"),
            hostname = "win02",
            osType = "windows",
            connection = "winrm",
            credentialId = credential.GetProperty("id").GetInt64(),
            winrm = new { useHttps = true, verifyCertificate = false, certificateThumbprint = "3b7e0a9f5c1d2e4f6a8b0c1d2e3f4a5b6c7d8e9f" },
        }));
        Assert.Equal(5986, https.GetProperty("port").GetInt32());
        Assert.False(https.GetProperty("winrm").GetProperty("verifyCertificate").GetBoolean());
        Assert.Equal("3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F", https.GetProperty("winrm").Str("certificateThumbprint"));
    }

    [Theory]
    [InlineData("""{"hostname":"h","osType":"linux","credentialId":CRED}""", "name")]
    [InlineData("""{"name":"n","osType":"linux","credentialId":CRED}""", "hostname")]
    [InlineData("""{"name":"n","hostname":"bad host!","osType":"linux","credentialId":CRED}""", "hostname")]
    [InlineData("""{"name":"n","hostname":"h","credentialId":CRED}""", "osType")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux","credentialId":CRED,"port":70000}""", "port")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux","credentialId":987654}""", "credentialId")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux"}""", "credentialId")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux","credentialId":CRED,"tags":["no spaces allowed"]}""", "tags")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux","credentialId":CRED,"ssh":{"hostKeyFingerprint":"MD5:aa"}}""", "ssh.hostKeyFingerprint")]
    [InlineData("""{"name":"n","hostname":"h","osType":"linux","connection":"winrm","credentialId":APIKEY}""", "credentialId")]
    [InlineData("""{"name":"n","hostname":"h","osType":"solaris","credentialId":CRED}""", null)]
    public async Task Invalid_targets_are_refused_with_the_field_named(string body, string? field)
    {
        using var admin = await fixture.AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        var apiKey = (await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/credentials",
            new { name = Inventory.UniqueName("api"), type = "api_key", secret = new { key = "k" } }))).GetProperty("id").GetInt64();
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.SendRawAsync(HttpMethod.Post, "/api/v1/targets",
            body.Replace("CRED", credential.ToString()).Replace("APIKEY", apiKey.ToString())));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }
}
