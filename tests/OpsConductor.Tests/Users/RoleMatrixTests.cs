using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Users;

/// <summary>The role table of the API contract, endpoint by endpoint, for every role and for no token.</summary>
public sealed class RoleMatrixTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    public static TheoryData<string, string, string, int, int, int, int> Matrix => new()
    {
        // method, path, body, admin, operator, viewer, anonymous
        { "GET", "/api/v1/users", "", 200, 403, 403, 401 },
        { "POST", "/api/v1/users", """{"username":"USER","role":"viewer","password":"long-enough-password"}""", 201, 403, 403, 401 },
        { "GET", "/api/v1/users/OTHER", "", 200, 403, 403, 401 },
        { "PUT", "/api/v1/users/OTHER", """{"fullName":"x"}""", 200, 403, 403, 401 },
        { "PUT", "/api/v1/users/OTHER/password", """{"newPassword":"long-enough-password"}""", 204, 403, 403, 401 },
        { "DELETE", "/api/v1/users/OTHER", "", 204, 403, 403, 401 },
        { "GET", "/api/v1/users/SELF", "", 200, 200, 200, 401 },
        { "PUT", "/api/v1/users/SELF", """{"fullName":"me"}""", 200, 200, 200, 401 },
        { "GET", "/api/v1/auth/me", "", 200, 200, 200, 401 },
        { "POST", "/api/v1/auth/logout", """{"refreshToken":"x"}""", 204, 204, 204, 401 },
        { "GET", "/api/v1/auth/jwks", "", 200, 200, 200, 200 },
        { "GET", "/health", "", 200, 200, 200, 200 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_what_the_contract_says(string method, string path, string body, int admin, int @operator, int viewer, int anonymous)
    {
        foreach (var (role, expected) in new[] { ("admin", admin), ("operator", @operator), ("viewer", viewer), ("anonymous", anonymous) })
        {
            var (client, selfId) = role == "admin"
                ? (await fixture.AdminAsync(), 1L)
                : role == "anonymous" ? (fixture.Anonymous(), 0L) : await SignedIn(role);
            using var _ = client;
            // A fresh target user per request, so deletes and password resets never affect another row.
            var other = path.Contains("OTHER") ? await NewUserId() : 0;
            var resolved = path.Replace("OTHER", other.ToString()).Replace("SELF", selfId.ToString());
            var content = body.Replace("USER", "m" + Guid.NewGuid().ToString("N")[..10]);
            using var response = content.Length == 0
                ? await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), resolved))
                : await client.SendRawAsync(new HttpMethod(method), resolved, content);
            Assert.True((int)response.StatusCode == expected,
                $"{role} {method} {path}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    async Task<(ApiClient, long)> SignedIn(string role)
    {
        var (client, id, _, _) = await fixture.UserAsync(role);
        return (client, id);
    }

    async Task<long> NewUserId()
    {
        var (client, id, _, _) = await fixture.UserAsync("viewer");
        client.Dispose();
        return id;
    }
}
