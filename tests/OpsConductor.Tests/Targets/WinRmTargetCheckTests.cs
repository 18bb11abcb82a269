using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>
/// POST /targets/{id}/check and the health sweep of WinRM targets, from the host process to the WS-Management test
/// server on loopback: NTLM with message encryption over HTTP, Basic over HTTPS with a pinned certificate, a wrong
/// password, and certificates that are not trusted. The test server runs PowerShell 7 on Linux, which has no
/// Win32_OperatingSystem: the OS facts come from the check's [Environment]::OSVersion fallback ("Unix ...").
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WinRmTargetCheckTests(HostFixture fixture, WinRmServerFixture winrm)
    : IClassFixture<HostFixture>, IClassFixture<WinRmServerFixture>
{
    static Task<JsonElement> Check(ApiClient client, long target) =>
        client.ExpectAsync(HttpStatusCode.OK, client.PostAsync($"/api/v1/targets/{target}/check"));

    static async Task<long> CredentialAsync(ApiClient client, string authentication, string username = WinRmServerFixture.User,
        string password = WinRmServerFixture.Password, string? domain = null) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/credentials", new
        {
            name = Inventory.UniqueName("winrm"),
            type = "winrm",
            username,
            domain,
            authentication,
            secret = new { password },
        }))).GetProperty("id").GetInt64();

    static async Task<long> TargetAsync(ApiClient client, long credentialId, int port, bool https, string? thumbprint = null, bool verify = true) =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("win"),
            hostname = "127.0.0.1",
            port,
            osType = "windows",
            connection = "winrm",
            credentialId,
            winrm = new { useHttps = https, verifyCertificate = verify, certificateThumbprint = thumbprint },
        }))).GetProperty("id").GetInt64();

    static void AssertHealthyWithOsFacts(JsonElement check)
    {
        Assert.True(check.GetProperty("reachable").GetBoolean(), check.ToString());
        Assert.Equal("healthy", check.Str("status"));
        Assert.Equal(JsonValueKind.Null, check.GetProperty("error").ValueKind);
        Assert.True(check.GetProperty("latencyMs").GetInt32() >= 0);
        Assert.StartsWith("Unix ", check.Str("osName")); // pwsh on Linux: the fallback, see the class summary
        Assert.Matches(@"^\d+(\.\d+)+$", check.Str("osVersion"));
        Assert.Equal(JsonValueKind.Null, check.GetProperty("hostKeyFingerprint").ValueKind);
    }

    [Fact]
    public async Task Ntlm_over_http_with_encryption_is_healthy_and_reports_the_os()
    {
        using var admin = await fixture.AdminAsync();
        var target = await TargetAsync(admin, await CredentialAsync(admin, "ntlm"), winrm.HttpPort, https: false);

        var check = await Check(admin, target);
        AssertHealthyWithOsFacts(check);
        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal(("healthy", check.Str("osName"), check.Str("osVersion")), (saved.Str("status"), saved.Str("osName"), saved.Str("osVersion")));
        Assert.Matches(@"^build \d+$", saved.Str("kernel"));
        Assert.Equal(0, winrm.Server.LiveShellCount); // the OS probe's shell was deleted
    }

    [Fact]
    public async Task A_domain_account_logs_in_with_the_credentials_domain()
    {
        using var admin = await fixture.AdminAsync();
        var credential = await CredentialAsync(admin, "ntlm", WinRmServerFixture.DomainUser, WinRmServerFixture.DomainPassword, WinRmServerFixture.Domain);
        AssertHealthyWithOsFacts(await Check(admin, await TargetAsync(admin, credential, winrm.HttpPort, https: false)));
    }

    [Theory]
    [InlineData(false, false)] // SHA-256, verification off: the pin is the trust
    [InlineData(true, true)] // SHA-1 as Windows shows it, lower case with spaces, verification on
    public async Task Basic_over_https_with_a_pinned_certificate_is_healthy(bool sha1, bool verify)
    {
        using var admin = await fixture.AdminAsync();
        var thumbprint = sha1 ? string.Join(' ', winrm.Server.ThumbprintSha1.ToLowerInvariant().Chunk(2).Select(c => new string(c))) : winrm.Thumbprint;
        var target = await TargetAsync(admin, await CredentialAsync(admin, "basic"), winrm.HttpsPort, https: true, thumbprint, verify);

        AssertHealthyWithOsFacts(await Check(admin, target));
        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal(sha1 ? winrm.Server.ThumbprintSha1 : winrm.Thumbprint, saved.GetProperty("winrm").Str("certificateThumbprint"));
    }

    [Theory]
    [InlineData("ntlm", false)]
    [InlineData("basic", true)]
    public async Task A_wrong_password_is_auth_failed_and_not_echoed(string authentication, bool https)
    {
        using var admin = await fixture.AdminAsync();
        const string wrong = "Not-The-WinRm-Password-9";
        var target = await TargetAsync(admin, await CredentialAsync(admin, authentication, password: wrong),
            https ? winrm.HttpsPort : winrm.HttpPort, https, https ? winrm.Thumbprint : null);

        var check = await Check(admin, target);
        Assert.Equal("auth_failed", check.Str("status"));
        Assert.True(check.GetProperty("reachable").GetBoolean());
        Assert.Contains("refused the login", check.Str("error"));
        Assert.DoesNotContain(wrong, check.ToString());
        var history = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}/status-history"));
        Assert.DoesNotContain(wrong, history.ToString());
    }

    [Theory]
    [InlineData(true)] // pinned, but to another certificate
    [InlineData(false)] // not pinned: the self-signed certificate fails verification
    public async Task An_untrusted_certificate_is_rejected_before_anything_is_sent(bool pinned)
    {
        using var admin = await fixture.AdminAsync();
        var username = Inventory.UniqueName("never-sent");
        var wrongPin = pinned ? new string(winrm.Thumbprint.Reverse().ToArray()) : null;
        var target = await TargetAsync(admin, await CredentialAsync(admin, "basic", username), winrm.HttpsPort, https: true, wrongPin);

        var check = await Check(admin, target);
        Assert.Equal("certificate_rejected", check.Str("status"));
        Assert.True(check.GetProperty("reachable").GetBoolean());
        Assert.Contains(pinned ? "is not the pinned one" : "failed verification", check.Str("error"));
        Assert.DoesNotContain(username, winrm.Server.LastAuthFailure ?? ""); // no login reached the server
        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("certificate_rejected", saved.Str("status"));
    }

    [Fact]
    public async Task The_health_sweep_checks_winrm_targets_and_detects_their_os()
    {
        using var admin = await fixture.AdminAsync();
        var target = await TargetAsync(admin, await CredentialAsync(admin, "ntlm"), winrm.HttpPort, https: false);

        var sweep = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/targets/health-sweep"));
        Assert.True(sweep.GetProperty("checked").GetInt32() >= 1);
        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}"));
        Assert.Equal("healthy", saved.Str("status"));
        Assert.StartsWith("Unix ", saved.Str("osName"));
        Assert.Equal(JsonValueKind.Number, saved.GetProperty("latencyMs").ValueKind);
        var history = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{target}/status-history"));
        Assert.Equal("healthy", Assert.Single(history.GetProperty("items").EnumerateArray()).Str("status"));
    }
}
