using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>Settings that would weaken a defence without a word stop the host at start, naming what to set instead.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WeakSettingsRefusedTests
{
    [Fact]
    public async Task A_short_service_secret_is_refused_because_the_right_secret_is_never_throttled()
    {
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__Auth__ServiceSecret"] = "short-secret";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(settings));
        Assert.Contains("OpsConductor:Auth:ServiceSecret must be at least 32 characters", refused.Message);
        Assert.DoesNotContain("short-secret", refused.Message);
    }

    [Fact]
    public async Task The_renamed_per_user_throttle_setting_is_refused_instead_of_silently_ignored()
    {
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__Auth__Throttle__MaxFailuresPerUser"] = "3";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(settings));
        Assert.Contains("MaxFailuresPerUserAndClient", refused.Message);
    }

    [Theory]
    [InlineData("OpsConductor__Auth__UserCheckSeconds", "120", "OpsConductor:Auth:UserCheckSeconds must be between 0 and 60")]
    [InlineData("OpsConductor__Executor__LeaseSeconds", "0", "OpsConductor:Executor:LeaseSeconds must be 1 or more")]
    [InlineData("OpsConductor__Jobs__RetentionDays", "-1", "OpsConductor:Jobs:RetentionDays must be 0")]
    [InlineData("OpsConductor__Security__BcryptWorkFactor", "4", "OpsConductor:Security:BcryptWorkFactor must be between 10 and 16")]
    [InlineData("OpsConductor__Auth__AccessTokenSeconds", "0", "OpsConductor:Auth:AccessTokenSeconds must be greater than 0")]
    public async Task An_out_of_range_setting_stops_the_start_naming_the_setting(string setting, string value, string message)
    {
        var settings = await TestDatabase.NewAsync();
        settings[setting] = value;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(settings));
        Assert.Contains(message, refused.Message);
    }
}
