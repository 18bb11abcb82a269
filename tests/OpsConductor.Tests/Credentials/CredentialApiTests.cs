using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Credentials;

/// <summary>Creating, validating, rotating and deleting credentials; secrets are write-only.</summary>
public sealed class CredentialApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Each_type_is_stored_and_answers_metadata_only()
    {
        using var admin = await fixture.AdminAsync();
        var (key, _) = await SshServer.GenerateKeyAsync("ed25519");
        var bodies = new object[]
        {
            new { name = Inventory.UniqueName("pw"), type = "password", username = "deploy", secret = new { password = "Pw-Secret-1111" } },
            new { name = Inventory.UniqueName("key"), type = "ssh_key", username = "deploy", secret = new { privateKey = key } },
            new { name = Inventory.UniqueName("win"), type = "winrm", username = "Administrator", domain = "CORP", authentication = "ntlm",
                secret = new { password = "Pw-Secret-2222" } },
            new { name = Inventory.UniqueName("api"), type = "api_key", secret = new { key = "Api-Secret-3333" } },
        };
        foreach (var body in bodies)
        {
            using var response = await admin.PostAsync("/api/v1/credentials", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, text);
            var json = JsonDocument.Parse(text).RootElement;
            Assert.True(json.GetProperty("hasSecret").GetBoolean());
            Assert.Equal(1, json.GetProperty("secretVersion").GetInt32());
            Assert.False(json.TryGetProperty("secret", out _));
            Assert.DoesNotContain("Secret-", text);
            Assert.DoesNotContain("PRIVATE KEY", text);
        }
        var winrm = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/credentials?type=winrm"));
        Assert.Contains(winrm.GetProperty("items").EnumerateArray(), c => c.Str("authentication") == "ntlm" && c.Str("domain") == "CORP");
        var search = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/credentials?search=api-"));
        Assert.All(search.GetProperty("items").EnumerateArray(), c => Assert.Equal("api_key", c.Str("type")));
    }

    [Theory]
    [InlineData("""{"name":"x1","type":"telnet","username":"u","secret":{"password":"p"}}""", null)]
    [InlineData("""{"name":"x2","username":"u","secret":{"password":"p"}}""", "type")]
    [InlineData("""{"name":"x3","type":"password","username":"u"}""", "secret")]
    [InlineData("""{"name":"x4","type":"password","username":"u","secret":{}}""", "secret.password")]
    [InlineData("""{"name":"x5","type":"password","secret":{"password":"p"}}""", "username")]
    [InlineData("""{"name":"x6","type":"ssh_key","username":"u","secret":{}}""", "secret.privateKey")]
    [InlineData("""{"name":"x7","type":"api_key","secret":{"password":"p"}}""", "secret.key")]
    [InlineData("""{"name":"x8","type":"winrm","username":"u","secret":{"password":"p"}}""", "authentication")]
    [InlineData("""{"name":"x9","type":"winrm","username":"u","authentication":"kerberos","secret":{"password":"p"}}""", null)]
    [InlineData("""{"type":"api_key","secret":{"key":"k"}}""", "name")]
    public async Task Invalid_credentials_are_refused_with_the_field_named(string body, string? field)
    {
        using var admin = await fixture.AdminAsync();
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.SendRawAsync(HttpMethod.Post, "/api/v1/credentials", body));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }

    [Fact]
    public async Task A_private_key_that_does_not_parse_is_refused_without_echoing_it()
    {
        using var admin = await fixture.AdminAsync();
        var (encrypted, _) = await SshServer.GenerateKeyAsync("rsa", passphrase: "Right-Passphrase-1", pem: true);
        const string garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nTm90LUEtUmVhbC1LZXktTWF0ZXJpYWwtOTk4OA==\n-----END OPENSSH PRIVATE KEY-----\n";
        foreach (var (privateKey, passphrase) in new[] { (garbage, (string?)null), (encrypted, "Wrong-Passphrase-2"), (encrypted, null) })
        {
            using var response = await admin.PostAsync("/api/v1/credentials",
                new { name = Inventory.UniqueName("bad"), type = "ssh_key", username = "u", secret = new { privateKey, passphrase } });
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("secret.privateKey", text);
            Assert.DoesNotContain("Tm90LUEtUmVhbC1LZXktTWF0ZXJpYWwtOTk4OA", text);
            Assert.DoesNotContain("Passphrase-", text);
            Assert.DoesNotContain(encrypted.Split('\n')[4], text);
        }
        var ok = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/credentials",
            new { name = Inventory.UniqueName("pem"), type = "ssh_key", username = "u", secret = new { privateKey = encrypted, passphrase = "Right-Passphrase-1" } }));
        Assert.True(ok.GetProperty("hasSecret").GetBoolean());
    }

    [Fact]
    public async Task Rotation_adds_a_version_and_update_keeps_the_type()
    {
        using var admin = await fixture.AdminAsync();
        var id = await Inventory.PasswordCredentialAsync(admin, "First-Secret-4444", "deploy");
        var rotated = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/credentials/{id}/rotate",
            new { secret = new { password = "Second-Secret-5555" } }));
        Assert.Equal(2, rotated.GetProperty("secretVersion").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, rotated.GetProperty("rotatedAt").ValueKind);
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync($"/api/v1/credentials/{id}/rotate", new { secret = new { } }));

        var name = Inventory.UniqueName("renamed");
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/credentials/{id}",
            new { name, username = "deploy2", description = "for the web tier" }));
        Assert.Equal(2, updated.GetProperty("secretVersion").GetInt32());
        Assert.Equal("deploy2", updated.Str("username"));
        var withSecret = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/credentials/{id}",
            new { name, username = "deploy2", secret = new { password = "Third-Secret-6666" } }));
        Assert.Equal(3, withSecret.GetProperty("secretVersion").GetInt32());
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync($"/api/v1/credentials/{id}",
            new { name, type = "api_key", secret = new { key = "k" } }));
        Assert.True(problem.GetProperty("errors").TryGetProperty("type", out _));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.GetAsync("/api/v1/credentials/999999"));
        await admin.ExpectAsync(HttpStatusCode.Conflict, admin.PostAsync("/api/v1/credentials",
            new { name = name.ToUpperInvariant(), type = "api_key", secret = new { key = "k" } }));
    }

    [Fact]
    public async Task A_credential_in_use_cannot_be_deleted_and_the_answer_names_the_targets()
    {
        using var admin = await fixture.AdminAsync();
        var id = await Inventory.PasswordCredentialAsync(admin);
        var name = Inventory.UniqueName("web");
        var target = await Inventory.SshTargetAsync(admin, id, 22, name);
        var problem = await admin.ExpectAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"/api/v1/credentials/{id}"));
        Assert.Contains(name, problem.Str("detail"));

        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/targets/{target}"));
        await admin.ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/credentials/{id}"));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.GetAsync($"/api/v1/credentials/{id}"));
        await admin.ExpectAsync(HttpStatusCode.NotFound, admin.DeleteAsync($"/api/v1/credentials/{id}"));
    }

    [Fact]
    public async Task User_tokens_cannot_use_the_internal_secret_endpoint()
    {
        using var admin = await fixture.AdminAsync();
        var id = await Inventory.PasswordCredentialAsync(admin);
        await admin.ExpectAsync(HttpStatusCode.Forbidden, admin.PostAsync($"/api/v1/credentials/internal/{id}/secret", new { purpose = "steal" }));
        using var anonymous = fixture.Anonymous();
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, anonymous.PostAsync($"/api/v1/credentials/internal/{id}/secret", new { purpose = "x" }));
    }
}
