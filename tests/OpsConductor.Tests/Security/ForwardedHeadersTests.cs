using System.Net;
using System.Net.Http.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// The client address (per-address sign-in limit, log lines) comes from X-Forwarded-For only when a known proxy
/// sent it, and only the one hop that proxy added.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task The_aspnet_switch_that_trusts_every_proxy_is_refused_at_start()
    {
        var settings = await TestDatabase.NewAsync();
        settings["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(settings));
        Assert.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED", refused.Message);
        Assert.Contains("OpsConductor:ForwardedHeaders:KnownProxies", refused.Message);
    }

    [Fact]
    public async Task A_client_that_is_not_a_known_proxy_cannot_pick_its_address_to_escape_the_per_address_sign_in_limit()
    {
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__ForwardedHeaders__KnownProxies"] = "192.0.2.10";
        settings["OpsConductor__Auth__Throttle__MaxFailuresPerClient"] = "3";
        await using var host = await HostProcess.StartAsync(settings);
        using var client = host.Client();

        for (var i = 1; i <= 3; i++)
        {
            using var failed = await FailedSignIn(client, $"nobody-{i}", $"203.0.113.{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        // A fourth address in the header, a fourth username: still the same client.
        using var throttled = await FailedSignIn(client, "nobody-4", "203.0.113.4");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var log = await host.OutputContainingAsync("Failed sign-in for (unknown username) from 127.0.0.1");
        Assert.Contains("Failed sign-in for (unknown username) from 127.0.0.1", log);
        Assert.DoesNotContain("203.0.113.", log);
    }

    [Fact]
    public async Task Behind_a_known_proxy_only_the_address_that_proxy_saw_counts()
    {
        // Default: a proxy on this machine (loopback) is trusted.
        await using var host = await HostProcess.StartAsync(await TestDatabase.NewAsync());
        using var client = host.Client();

        // The client wrote 198.51.100.7; the proxy appended the address it saw, 203.0.113.8.
        using var failed = await FailedSignIn(client, "through-proxy", "198.51.100.7, 203.0.113.8");
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        var log = await host.OutputContainingAsync("Failed sign-in for (unknown username) from 203.0.113.8");
        Assert.Contains("Failed sign-in for (unknown username) from 203.0.113.8", log);
        Assert.DoesNotContain("198.51.100.7", log);
    }

    static Task<HttpResponseMessage> FailedSignIn(ApiClient client, string username, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { username, password = "wrong-password" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.Http.SendAsync(request);
    }
}
