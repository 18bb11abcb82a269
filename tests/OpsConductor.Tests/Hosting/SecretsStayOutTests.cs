using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>No password or hash in any response or log line, whatever the request did.</summary>
public sealed class SecretsStayOutTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Passwords_and_hashes_never_reach_responses_or_logs()
    {
        const string secret = "Sup3r-Secret-Passphrase-7781";
        const string changed = "Another-Secret-Passphrase-9913";
        using var admin = await fixture.AdminAsync();
        var bodies = new List<string>();
        async Task Record(Task<HttpResponseMessage> request)
        {
            using var response = await request;
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        await Record(admin.PostAsync("/api/v1/users", new { username = "secretive", role = "operator", password = secret }));
        await Record(admin.PostAsync("/api/v1/users", new { username = "secretive", role = "operator", password = secret }));
        await Record(admin.PostAsync("/api/v1/users", new { username = "x", role = "operator", password = secret }));
        await Record(admin.SendRawAsync(HttpMethod.Post, "/api/v1/users", $"{{\"username\":\"y\",\"password\":\"{secret}\",\"role\":7}}"));
        await Record(admin.GetAsync("/api/v1/users?search=secretive"));
        using var client = fixture.Anonymous();
        await Record(client.PostAsync("/api/v1/auth/login", new { username = "secretive", password = secret + "x" }));
        bodies.Add((await client.LoginAsync("secretive", secret)).ToString());
        var id = (await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/users?search=secretive"))).GetProperty("items")[0].GetProperty("id").GetInt64();
        await Record(client.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = secret, newPassword = changed }));
        await Record(client.PutAsync($"/api/v1/users/{id}/password", new { currentPassword = "wrong", newPassword = changed }));
        await Task.Delay(300); // let the last log lines arrive

        var everything = string.Join("\n", bodies) + "\n" + fixture.Host.Output;
        Assert.DoesNotContain(secret, everything);
        Assert.DoesNotContain(changed, everything);
        Assert.DoesNotContain(HostProcess.AdminPassword, everything);
        Assert.DoesNotContain("$2a$", everything);
        Assert.DoesNotContain("$2b$", everything);
        Assert.DoesNotContain("\"passwordHash\"", string.Join("\n", bodies), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refreshToken\":\"", fixture.Host.Output);
    }
}
