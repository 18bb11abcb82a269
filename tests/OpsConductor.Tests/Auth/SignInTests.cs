using System.Net;
using System.Text;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Auth;

public sealed class SignInTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Admin_signs_in_and_gets_a_bearer_token_for_their_account()
    {
        using var client = fixture.Anonymous();
        var body = await client.LoginAsync("admin", HostProcess.AdminPassword);

        Assert.Equal("Bearer", body.Str("tokenType"));
        Assert.True(body.GetProperty("expiresIn").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(body.Str("refreshToken")));
        Assert.Equal("admin", body.GetProperty("user").Str("username"));
        Assert.Equal("admin", body.GetProperty("user").Str("role"));

        var me = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/api/v1/auth/me"));
        Assert.Equal("admin", me.Str("username"));
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        using var client = fixture.Anonymous();
        var wrongPassword = await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/login", new { username = "admin", password = "not-the-password" }));
        var unknownUser = await client.ExpectAsync(HttpStatusCode.Unauthorized,
            client.PostAsync("/api/v1/auth/login", new { username = "nobody-here", password = "not-the-password" }));

        Assert.Equal(wrongPassword.Str("title"), unknownUser.Str("title"));
        Assert.Equal(wrongPassword.Str("detail"), unknownUser.Str("detail"));
        Assert.Equal(401, unknownUser.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Missing_credentials_are_a_validation_error()
    {
        using var client = fixture.Anonymous();
        var problem = await client.ExpectAsync(HttpStatusCode.BadRequest, client.PostAsync("/api/v1/auth/login", new { username = "" }));
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task A_forged_or_tampered_token_is_refused()
    {
        using var client = fixture.Anonymous();
        var token = (await client.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlDecode(parts[1]))!;
        payload["role"] = "admin";
        payload["sub"] = "999";
        var forged = $"{parts[0]}.{Base64UrlEncode(JsonSerializer.Serialize(payload))}.{parts[2]}";

        client.WithToken(forged);
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/auth/me"));
        client.WithToken("not-a-token");
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/users"));
        client.WithToken(null);
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/users"));
    }

    [Fact]
    public async Task Jwks_publishes_the_key_that_signed_the_token()
    {
        using var client = fixture.Anonymous();
        var token = (await client.LoginAsync("admin", HostProcess.AdminPassword)).Str("accessToken");
        var header = JsonDocument.Parse(Base64UrlDecode(token.Split('.')[0])).RootElement;
        Assert.Equal("RS256", header.Str("alg"));

        client.WithToken(null);
        var jwks = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync("/api/v1/auth/jwks"));
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.Str("kty"));
        Assert.Equal(header.Str("kid"), key.Str("kid"));
        Assert.False(key.TryGetProperty("d", out _), "the JWKS must not contain private key material");
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var (user, id, username, password) = await fixture.UserAsync("operator");
        user.Dispose();
        using var admin = await fixture.AdminAsync();
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/users/{id}", new { disabled = true }));

        using var client = fixture.Anonymous();
        await client.ExpectAsync(HttpStatusCode.Unauthorized, client.PostAsync("/api/v1/auth/login", new { username, password }));
    }

    static string Base64UrlDecode(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Encoding.UTF8.GetString(Convert.FromBase64String(s));
    }

    static string Base64UrlEncode(string s) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
