using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>Bad input gets a clear RFC 9457 answer, never a 500.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ProblemDetailsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("POST", "/api/v1/users", "{\"username\": ", 400)]
    [InlineData("POST", "/api/v1/users", "{\"username\":\"abc\",\"role\":\"superuser\",\"password\":\"long-enough-password\"}", 400)]
    [InlineData("POST", "/api/v1/users", "{\"username\":42,\"role\":\"viewer\",\"password\":\"long-enough-password\"}", 400)]
    [InlineData("POST", "/api/v1/users", "[1,2,3]", 400)]
    [InlineData("PUT", "/api/v1/users/1", "{\"disabled\":\"maybe\"}", 400)]
    [InlineData("GET", "/api/v1/users?page=0", "", 400)]
    [InlineData("GET", "/api/v1/users?pageSize=501", "", 400)]
    [InlineData("GET", "/api/v1/users?page=abc", "", 400)]
    [InlineData("GET", "/api/v1/users?role=root", "", 400)]
    [InlineData("GET", "/api/v1/users?sort=password", "", 400)]
    [InlineData("GET", "/api/v1/users/987654", "", 404)]
    [InlineData("GET", "/api/v1/users/not-a-number", "", 404)]
    [InlineData("GET", "/api/v1/no-such-thing", "", 404)]
    [InlineData("DELETE", "/api/v1/users", "", 405)]
    public async Task Bad_requests_get_problem_details(string method, string path, string body, int status)
    {
        using var admin = await fixture.AdminAsync();
        using var response = body.Length == 0
            ? await admin.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))
            : await admin.SendRawAsync(new HttpMethod(method), path, body);
        var problem = await ApiClient.Json(response);

        Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.Str("title")));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var admin = await fixture.AdminAsync();
        var huge = "{\"username\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        // Expect: 100-continue lets the server refuse by Content-Length before the body is sent, as real clients
        // of large uploads do; without it the server may close the socket while the client is still writing.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users")
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await admin.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await ApiClient.Json(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Wrong_content_type_is_a_client_error()
    {
        using var admin = await fixture.AdminAsync();
        using var response = await admin.SendRawAsync(HttpMethod.Post, "/api/v1/users", "username=x", "application/x-www-form-urlencoded");
        Assert.InRange((int)response.StatusCode, 400, 499);
    }
}
