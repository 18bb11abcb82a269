using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Auth;

public sealed class ThrottlingFixture : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Auth__Throttle__MaxFailuresPerUserAndClient"] = "5",
        ["OpsConductor__Auth__Throttle__MaxFailuresPerClient"] = "12",
    };
}

[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ThrottlingTests(ThrottlingFixture fixture) : IClassFixture<ThrottlingFixture>
{
    [Fact]
    public async Task Repeated_failures_for_one_user_are_throttled_even_with_the_right_password()
    {
        var (user, _, username, password) = await fixture.UserAsync("viewer");
        user.Dispose();
        using var client = fixture.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await client.ExpectAsync(HttpStatusCode.Unauthorized,
                client.PostAsync("/api/v1/auth/login", new { username, password = "wrong-password-x" }));
        }

        using var throttled = await client.PostAsync("/api/v1/auth/login", new { username, password });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 must say when to retry");
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>Its own host: once the client address is throttled, nothing else can sign in from it.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ClientThrottlingTests(ThrottlingFixture fixture) : IClassFixture<ThrottlingFixture>
{
    [Fact]
    public async Task One_client_guessing_many_usernames_is_throttled()
    {
        using var client = fixture.Anonymous();
        HttpStatusCode last = HttpStatusCode.OK;
        for (var i = 0; i < 20 && last != HttpStatusCode.TooManyRequests; i++)
        {
            using var response = await client.PostAsync("/api/v1/auth/login", new { username = $"guess{i}", password = "wrong-password-x" });
            last = response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
    }
}
