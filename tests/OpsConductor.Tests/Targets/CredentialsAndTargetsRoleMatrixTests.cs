using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>The role table of the API contract for the credentials and targets services, for every role and for no token.</summary>
public sealed class CredentialsAndTargetsRoleMatrixTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    const string TargetBody = """{"name":"NAME","hostname":"127.0.0.1","port":1,"osType":"linux","credentialId":CRED}""";

    public static TheoryData<string, string, string, int, int, int, int> Matrix => new()
    {
        // method, path, body, admin, operator, viewer, anonymous
        { "GET", "/api/v1/credentials", "", 200, 200, 200, 401 },
        { "GET", "/api/v1/credentials/CRED", "", 200, 200, 200, 401 },
        { "POST", "/api/v1/credentials", """{"name":"NAME","type":"api_key","secret":{"key":"k"}}""", 201, 201, 403, 401 },
        { "PUT", "/api/v1/credentials/CRED", """{"name":"NAME","username":"u"}""", 200, 200, 403, 401 },
        { "POST", "/api/v1/credentials/CRED/rotate", """{"secret":{"password":"p"}}""", 200, 200, 403, 401 },
        { "DELETE", "/api/v1/credentials/CRED", "", 204, 204, 403, 401 },
        { "GET", "/api/v1/credentials/CRED/access-log", "", 200, 200, 403, 401 },
        { "POST", "/api/v1/credentials/internal/CRED/secret", """{"purpose":"x"}""", 403, 403, 403, 401 },
        { "GET", "/api/v1/targets", "", 200, 200, 200, 401 },
        { "GET", "/api/v1/targets/TARGET", "", 200, 200, 200, 401 },
        { "GET", "/api/v1/targets/TARGET/status-history", "", 200, 200, 200, 401 },
        { "POST", "/api/v1/targets", TargetBody, 201, 201, 403, 401 },
        { "PUT", "/api/v1/targets/TARGET", TargetBody, 200, 200, 403, 401 },
        { "DELETE", "/api/v1/targets/TARGET", "", 204, 204, 403, 401 },
        { "POST", "/api/v1/targets/TARGET/check", "", 200, 200, 403, 401 },
        { "POST", "/api/v1/targets/TARGET/accept-host-key", """{"fingerprint":"SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", 409, 409, 403, 401 },
        { "POST", "/api/v1/targets/health-sweep", "", 200, 200, 403, 401 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_what_the_contract_says(string method, string path, string body, int admin, int @operator, int viewer, int anonymous)
    {
        using var setup = await fixture.AdminAsync();
        foreach (var (role, expected) in new[] { ("admin", admin), ("operator", @operator), ("viewer", viewer), ("anonymous", anonymous) })
        {
            using var client = role switch
            {
                "admin" => await fixture.AdminAsync(),
                "anonymous" => fixture.Anonymous(),
                _ => (await fixture.UserAsync(role)).Client,
            };
            // Fresh rows per request, so deletes never affect another row.
            var credential = await Inventory.PasswordCredentialAsync(setup);
            var target = path.Contains("TARGET") ? await Inventory.SshTargetAsync(setup, credential, 1) : 0;
            var resolved = path.Replace("CRED", credential.ToString()).Replace("TARGET", target.ToString());
            var content = body.Replace("NAME", Inventory.UniqueName("m")).Replace("CRED", credential.ToString());
            using var response = content.Length == 0
                ? await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), resolved))
                : await client.SendRawAsync(new HttpMethod(method), resolved, content);
            Assert.True((int)response.StatusCode == expected,
                $"{role} {method} {path}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
