using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>After a full credentials-and-targets workflow, no secret appears in any response or in the host's log.</summary>
public sealed class CredentialSecretsStayOutTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Secrets_never_reach_responses_or_logs()
    {
        await using var sshd = await SshServer.StartAsync();
        const string wrongPassword = "Wrong-Ssh-Password-5150";
        const string rotated = "Rotated-Api-Key-Value-8080";
        const string apiKey = "Api-Key-Value-4242";
        const string winrmPassword = "Winrm-Password-6060";
        const string passphrase = "Pem-Passphrase-7070";
        var (pemKey, pemPublic) = await SshServer.GenerateKeyAsync("rsa", passphrase, pem: true);
        var (edKey, edPublic) = await SshServer.GenerateKeyAsync("ed25519");
        await sshd.AuthorizeAsync(pemPublic);
        await sshd.AuthorizeAsync(edPublic);
        var keyLines = pemKey.Split('\n').Concat(edKey.Split('\n')).Where(l => l.Length > 20 && !l.StartsWith("-----") && !l.Contains(':')).ToList();

        using var admin = await fixture.AdminAsync();
        var bodies = new List<string>();
        async Task<string> Record(Task<HttpResponseMessage> request)
        {
            using var response = await request;
            var text = await response.Content.ReadAsStringAsync();
            bodies.Add(text);
            return text;
        }
        long IdOf(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt64();

        var password = IdOf(await Record(admin.PostAsync("/api/v1/credentials",
            new { name = "pw-secret-scan", type = "password", username = SshServer.User, secret = new { password = SshServer.Password } })));
        var wrong = IdOf(await Record(admin.PostAsync("/api/v1/credentials",
            new { name = "wrong-secret-scan", type = "password", username = SshServer.User, secret = new { password = wrongPassword } })));
        var pem = IdOf(await Record(admin.PostAsync("/api/v1/credentials",
            new { name = "pem-secret-scan", type = "ssh_key", username = SshServer.User, secret = new { privateKey = pemKey, passphrase } })));
        var ed = IdOf(await Record(admin.PostAsync("/api/v1/credentials",
            new { name = "ed-secret-scan", type = "ssh_key", username = SshServer.User, secret = new { privateKey = edKey } })));
        var api = IdOf(await Record(admin.PostAsync("/api/v1/credentials", new { name = "api-secret-scan", type = "api_key", secret = new { key = apiKey } })));
        await Record(admin.PostAsync("/api/v1/credentials",
            new { name = "winrm-secret-scan", type = "winrm", username = "Administrator", authentication = "basic", secret = new { password = winrmPassword } }));
        // Failures that might echo what was sent.
        await Record(admin.PostAsync("/api/v1/credentials", new { name = "bad-key", type = "ssh_key", username = "u", secret = new { privateKey = pemKey, passphrase = wrongPassword } }));
        await Record(admin.PostAsync("/api/v1/credentials", new { name = "pw-secret-scan", type = "password", username = "u", secret = new { password = wrongPassword } }));
        await Record(admin.SendRawAsync(HttpMethod.Post, "/api/v1/credentials", $"{{\"name\":\"x\",\"type\":7,\"secret\":{{\"password\":\"{wrongPassword}\"}}}}"));
        await Record(admin.SendRawAsync(HttpMethod.Post, "/api/v1/credentials", $"{{\"name\":\"x\",\"type\":\"password\",\"secret\":{{\"password\":{wrongPassword}}}}}"));
        await Record(admin.PostAsync($"/api/v1/credentials/{api}/rotate", new { secret = new { key = rotated } }));

        foreach (var credential in new[] { password, wrong, pem, ed })
        {
            var target = await Inventory.SshTargetAsync(admin, credential, sshd.Port, hostKeyFingerprint: sshd.HostKeyFingerprint);
            await Record(admin.PostAsync($"/api/v1/targets/{target}/check"));
            await Record(admin.GetAsync($"/api/v1/targets/{target}"));
        }
        await Record(admin.PostAsync("/api/v1/targets/health-sweep"));
        await Record(admin.GetAsync("/api/v1/credentials?pageSize=500"));
        await Record(admin.GetAsync("/api/v1/targets?pageSize=500"));
        await Record(admin.GetAsync($"/api/v1/credentials/{password}/access-log"));
        await Record(admin.GetAsync("/openapi/v1.json"));
        await Task.Delay(300); // let the last log lines arrive

        Assert.Contains(bodies, b => b.Contains("\"status\":\"healthy\""));
        Assert.Contains(bodies, b => b.Contains("\"status\":\"auth_failed\""));
        var everything = string.Join("\n", bodies) + "\n" + fixture.Host.Output;
        foreach (var secret in new[] { SshServer.Password, wrongPassword, rotated, apiKey, winrmPassword, passphrase }.Concat(keyLines))
        {
            Assert.DoesNotContain(secret, everything);
        }
        Assert.DoesNotContain("PRIVATE KEY-----", everything);
    }
}
