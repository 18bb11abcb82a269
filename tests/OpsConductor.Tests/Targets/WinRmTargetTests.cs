using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Targets;

/// <summary>
/// Windows targets over WinRM through the API: the certificate thumbprint (normalized, stored, returned), the rules
/// that keep a secret from being sent to an untrusted or unencrypted listener, default ports, and a real check of
/// a port nothing listens on.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WinRmTargetTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    const string Sha1 = "3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F";
    const string Sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    static async Task<long> WinRmCredentialAsync(ApiClient client, string authentication, string password = "Win-Target-Pw-1") =>
        (await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/credentials", new
        {
            name = Inventory.UniqueName("win"),
            type = "winrm",
            username = "Administrator",
            domain = "CORP",
            authentication,
            secret = new { password },
        }))).GetProperty("id").GetInt64();

    static object Body(long credentialId, object? winrm, int? port = null, string connection = "winrm", string? name = null) => new
    {
        name = name ?? Inventory.UniqueName("win"),
        hostname = "win01.example.com",
        port,
        osType = "windows",
        connection,
        credentialId,
        winrm,
    };

    static Task<JsonElement> Create(ApiClient client, object body) =>
        client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/targets", body));

    [Fact]
    public async Task The_thumbprint_is_normalized_stored_and_returned_and_cleared_when_the_target_moves_to_http()
    {
        using var admin = await fixture.AdminAsync();
        var ntlm = await WinRmCredentialAsync(admin, "ntlm");
        // As the Windows certificate dialog copies it: lower case, spaces, and a leading left-to-right mark.
        var typed = "\u200e" + string.Join(' ', Enumerable.Range(0, 20).Select(i => Sha1.Substring(i * 2, 2).ToLowerInvariant()));
        var created = await Create(admin, Body(ntlm, new { useHttps = true, verifyCertificate = false, certificateThumbprint = typed }));
        Assert.Equal(5986, created.GetProperty("port").GetInt32());
        var winrm = created.GetProperty("winrm");
        Assert.Equal(Sha1, winrm.Str("certificateThumbprint"));
        Assert.True(winrm.GetProperty("useHttps").GetBoolean());
        Assert.False(winrm.GetProperty("verifyCertificate").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("ssh").ValueKind);

        var id = created.GetProperty("id").GetInt64();
        var read = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{id}"));
        Assert.Equal(Sha1, read.GetProperty("winrm").Str("certificateThumbprint"));

        // SHA-256 with colons, as openssl x509 -fingerprint -sha256 prints it; verification on as well.
        var colons = string.Join(':', Enumerable.Range(0, 32).Select(i => Sha256.Substring(i * 2, 2)));
        var updated = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/targets/{id}",
            Body(ntlm, new { useHttps = true, verifyCertificate = true, certificateThumbprint = colons }, name: created.Str("name"))));
        Assert.Equal(Sha256, updated.GetProperty("winrm").Str("certificateThumbprint"));
        Assert.True(updated.GetProperty("winrm").GetProperty("verifyCertificate").GetBoolean());
        var listed = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets?search={created.Str("name")}"));
        Assert.Equal(Sha256, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("winrm").Str("certificateThumbprint"));

        // HTTP has no certificate: an update without one clears the pin, and the port follows the transport.
        var http = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync($"/api/v1/targets/{id}",
            Body(ntlm, new { useHttps = false }, name: created.Str("name"))));
        Assert.Equal(5985, http.GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, http.GetProperty("winrm").GetProperty("certificateThumbprint").ValueKind);
    }

    [Fact]
    public async Task Ports_default_by_protocol_and_an_explicit_port_is_kept()
    {
        using var admin = await fixture.AdminAsync();
        var ntlm = await WinRmCredentialAsync(admin, "ntlm");
        var password = await Inventory.PasswordCredentialAsync(admin);
        Assert.Equal(5985, (await Create(admin, Body(ntlm, null))).GetProperty("port").GetInt32()); // Windows' default listener
        Assert.Equal(5985, (await Create(admin, Body(password, new { useHttps = false }))).GetProperty("port").GetInt32());
        Assert.Equal(5986, (await Create(admin, Body(ntlm, new { useHttps = true }))).GetProperty("port").GetInt32());
        Assert.Equal(15986, (await Create(admin, Body(ntlm, new { useHttps = true }, port: 15986))).GetProperty("port").GetInt32());
        var ssh = await Create(admin, Body(password, null, connection: "ssh"));
        Assert.Equal(22, ssh.GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, ssh.GetProperty("winrm").ValueKind);
        // Windows without a connection named: WinRM.
        var implied = await Create(admin, new { name = Inventory.UniqueName("win"), hostname = "win03", osType = "windows", credentialId = ntlm });
        Assert.Equal(("winrm", 5985), (implied.Str("connection"), implied.GetProperty("port").GetInt32()));
    }

    [Fact]
    public async Task Basic_over_https_is_accepted_with_verification()
    {
        using var admin = await fixture.AdminAsync();
        var basic = await WinRmCredentialAsync(admin, "basic");
        var created = await Create(admin, Body(basic, new { useHttps = true }));
        Assert.True(created.GetProperty("winrm").GetProperty("verifyCertificate").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("winrm").GetProperty("certificateThumbprint").ValueKind);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // Without verification the pin is the only trust.
        { "ntlm", """{"useHttps":true,"verifyCertificate":false}""", "winrm.certificateThumbprint" },
        { "ntlm", """{"useHttps":true,"verifyCertificate":false,"certificateThumbprint":"  "}""", "winrm.certificateThumbprint" },
        // Not a SHA-1 or SHA-256 in hex.
        { "ntlm", """{"useHttps":true,"certificateThumbprint":"3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9"}""", "winrm.certificateThumbprint" },
        { "ntlm", """{"useHttps":true,"certificateThumbprint":"ZZ7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F"}""", "winrm.certificateThumbprint" },
        { "ntlm", """{"useHttps":true,"certificateThumbprint":"sha1:3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F"}""", "winrm.certificateThumbprint" },
        // HTTP has no certificate to pin.
        { "ntlm", """{"useHttps":false,"certificateThumbprint":"3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F"}""", "winrm.certificateThumbprint" },
        // Basic over HTTP would send the password in the clear, also when HTTP is only the default.
        { "basic", """{"useHttps":false}""", "credentialId" },
        { "basic", "null", "credentialId" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Unsafe_or_malformed_settings_are_refused_naming_the_field_and_change_nothing(string authentication, string winrm, string field)
    {
        using var admin = await fixture.AdminAsync();
        var credential = await WinRmCredentialAsync(admin, authentication);
        var name = Inventory.UniqueName("refused");
        var body = $$"""{"name":"{{name}}","hostname":"win09","osType":"windows","connection":"winrm","credentialId":{{credential}},"winrm":{{winrm}}}""";

        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.SendRawAsync(HttpMethod.Post, "/api/v1/targets", body));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray().Single().GetString()!);
        var none = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets?search={name}"));
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());

        // The same settings on an update leave the stored target as it was.
        var ntlm = await WinRmCredentialAsync(admin, "ntlm");
        var existing = await Create(admin, Body(ntlm, new { useHttps = true, certificateThumbprint = Sha1 }, name: name));
        var id = existing.GetProperty("id").GetInt64();
        var before = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{id}"));
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.SendRawAsync(HttpMethod.Put, $"/api/v1/targets/{id}", body));
        var after = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{id}"));
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal(Sha1, after.GetProperty("winrm").Str("certificateThumbprint"));
    }

    [Fact]
    public async Task A_winrm_check_of_a_port_nothing_listens_on_is_unreachable_with_a_clear_error()
    {
        using var admin = await fixture.AdminAsync();
        var port = SshServer.FreePort(); // bound and released: connections are refused
        var created = await Create(admin, new
        {
            name = Inventory.UniqueName("win-down"),
            hostname = "127.0.0.1",
            port,
            osType = "windows",
            credentialId = await WinRmCredentialAsync(admin, "ntlm", "Never-Sent-Pw-7"),
        });
        var id = created.GetProperty("id").GetInt64();

        var check = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync($"/api/v1/targets/{id}/check"));
        Assert.Equal("unreachable", check.Str("status"));
        Assert.False(check.GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("latencyMs").ValueKind);
        Assert.Matches("(?i)refused", check.Str("error"));
        Assert.DoesNotContain("Never-Sent-Pw-7", check.ToString());

        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{id}"));
        Assert.Equal("unreachable", saved.Str("status"));
        Assert.Equal(check.Str("error"), saved.Str("lastError"));
        var history = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/targets/{id}/status-history"));
        var change = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal(("unknown", "unreachable"), (change.Str("previousStatus"), change.Str("status")));
    }
}
