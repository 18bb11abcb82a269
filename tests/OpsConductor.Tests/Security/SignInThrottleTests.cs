using System.Diagnostics;
using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

public sealed class SignInThrottleFixture : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Auth__Throttle__MaxFailuresPerUserAndClient"] = "5",
        ["OpsConductor__Auth__Throttle__MaxFailuresPerClient"] = "50",
        ["OpsConductor__Auth__Throttle__UserDelayAfterFailures"] = "5",
        ["OpsConductor__Auth__Throttle__MaxUserDelaySeconds"] = "3",
    };
}

/// <summary>Nobody can keep a user out by failing to sign in as them: failures throttle the guessing address, not the account.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class SignInThrottleTests(SignInThrottleFixture fixture) : IClassFixture<SignInThrottleFixture>
{
    [Fact]
    public async Task Failures_from_one_address_do_not_lock_the_account_for_another()
    {
        var (user, _, username, password) = await fixture.UserAsync("admin");
        user.Dispose();
        using var attacker = fixture.Anonymous().From("203.0.113.10");
        for (var i = 0; i < 5; i++)
        {
            await attacker.ExpectAsync(HttpStatusCode.Unauthorized, attacker.PostAsync("/api/v1/auth/login", new { username, password = "wrong-password-x" }));
        }
        // The guessing address is throttled for this account, even with the right password...
        using var throttled = await attacker.PostAsync("/api/v1/auth/login", new { username, password });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 must say when to retry");

        // ...but the user signs in from an address that has not failed.
        using var owner = fixture.Anonymous().From("198.51.100.10");
        await owner.LoginAsync(username, password);
    }

    [Fact]
    public async Task Failures_from_many_addresses_only_delay_addresses_the_user_never_signed_in_from()
    {
        var (user, _, username, password) = await fixture.UserAsync("operator");
        user.Dispose();
        using var home = fixture.Anonymous().From("198.51.100.20");
        await home.LoginAsync(username, password);

        for (var i = 0; i < 8; i++)
        {
            using var botnet = fixture.Anonymous().From($"203.0.113.{100 + i}");
            await botnet.ExpectAsync(HttpStatusCode.Unauthorized, botnet.PostAsync("/api/v1/auth/login", new { username, password = "wrong-password-x" }));
        }

        // A new address still signs in, after the growing per-user delay (8 failures: the 3-second maximum).
        using var travelling = fixture.Anonymous().From("192.0.2.30");
        var clock = Stopwatch.StartNew();
        await travelling.LoginAsync(username, password);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.8), $"an untrusted address waited only {clock.Elapsed}");

        // The address the user signed in from before is not delayed at all.
        clock.Restart();
        await home.LoginAsync(username, password);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"a trusted address waited {clock.Elapsed}");
    }
}
