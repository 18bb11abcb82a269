using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

public sealed class ServiceTokenThrottleFixture : HostFixture
{
    public const string Secret = "service-throttle-test-secret-0123456789";

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Auth__ServiceSecret"] = Secret,
        ["OpsConductor__Auth__Throttle__MaxServiceTokenFailuresPerClient"] = "3",
    };
}

/// <summary>A stranger's failures cannot stop split-mode services from getting their tokens.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ServiceTokenThrottleTests(ServiceTokenThrottleFixture fixture) : IClassFixture<ServiceTokenThrottleFixture>
{
    [Fact]
    public async Task Failed_logins_and_wrong_secrets_from_a_stranger_never_refuse_the_right_secret()
    {
        using var stranger = fixture.Anonymous().From("203.0.113.50");
        // The sign-in throttle used to share the key u:service:executor with the service-token endpoint.
        for (var i = 0; i < 6; i++)
        {
            using var _ = await stranger.PostAsync("/api/v1/auth/login", new { username = "service:executor", password = "wrong-password-x" });
        }
        var last = HttpStatusCode.OK;
        for (var i = 0; i < 5; i++)
        {
            using var response = await stranger.PostAsync("/api/v1/auth/service-token", new { service = "executor", secret = "wrong-secret" });
            last = response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last); // the stranger slowed themselves down

        using var executor = fixture.Anonymous().From("10.0.0.7");
        var token = await executor.ExpectAsync(HttpStatusCode.OK,
            executor.PostAsync("/api/v1/auth/service-token", new { service = "executor", secret = ServiceTokenThrottleFixture.Secret }));
        Assert.False(string.IsNullOrEmpty(token.Str("accessToken")));

        // Even from the throttled address the right secret is not refused.
        await stranger.ExpectAsync(HttpStatusCode.OK,
            stranger.PostAsync("/api/v1/auth/service-token", new { service = "executor", secret = ServiceTokenThrottleFixture.Secret }));
    }
}
