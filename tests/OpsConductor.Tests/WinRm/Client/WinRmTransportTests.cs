using System.Net;
using System.Net.Sockets;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>TLS, certificate pinning, Basic and the failure kinds, against a real loopback Kestrel HTTPS listener.</summary>
public sealed class WinRmTransportTests
{
    static readonly WinRmClientOptions Options = WinRmClientOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Basic_over_plain_http_is_refused_before_anything_connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var credential = new WinRmCredential("admin", null, "S3cret-Never-Shown", WinRmAuthentication.Basic);

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(new WinRmEndpoint("127.0.0.1", port, UseHttps: false), credential, Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.InsecureRefused, e.Kind);
        Assert.Contains("HTTPS", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", e.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_certificate_that_is_not_the_pinned_one_is_rejected_and_nothing_is_sent()
    {
        await using var server = await WsManTestListener.StartAsync();
        var wrong = new string('A', 64);

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(wrong), WsManTestListener.Credential(), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.CertificateRejected, e.Kind);
        Assert.Contains("pinned", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_self_signed_certificate_without_a_pin_fails_verification_against_the_system_store()
    {
        await using var server = await WsManTestListener.StartAsync();

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(null), WsManTestListener.Credential(), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.CertificateRejected, e.Kind);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_pinned_certificate_is_accepted_by_sha1_or_sha256_in_any_case_with_colons_or_spaces()
    {
        await using var server = await WsManTestListener.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult((200, WsManTestListener.IdentifyResponse));

        foreach (var pin in new[]
        {
            server.Sha1,
            server.Sha256.ToLowerInvariant(),
            string.Join(":", server.Sha1.Chunk(2).Select(c => new string(c))),
            string.Join(" ", server.Sha256.Chunk(2).Select(c => new string(c)).Select(s => s.ToLowerInvariant())),
        })
        {
            await using var client = await WinRmClient.ConnectAsync(server.Endpoint(pin), WsManTestListener.Credential(), Options, CancellationToken.None);
            Assert.True(client.IsConnected);
        }
        Assert.All(server.Requests, r => Assert.Equal("Identify", r.Action));
        Assert.Equal(4, server.Requests.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex-at-all")]
    [InlineData("ABCD")]
    public async Task A_malformed_pin_never_matches(string pin)
    {
        await using var server = await WsManTestListener.StartAsync();

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(pin), WsManTestListener.Credential(), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.CertificateRejected, e.Kind);
    }

    [Fact]
    public async Task A_wrong_password_is_auth_failed_and_the_message_does_not_carry_it()
    {
        await using var server = await WsManTestListener.StartAsync();

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(server.Sha256), WsManTestListener.Credential("Not-The-Passw0rd"), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.AuthFailed, e.Kind);
        Assert.DoesNotContain("Not-The-Passw0rd", e.ToString(), StringComparison.Ordinal);
        Assert.Contains(WsManTestListener.User, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_is_not_ws_management_is_a_protocol_error_without_the_servers_body()
    {
        await using var server = await WsManTestListener.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult((200, "<html><body>Welcome to nginx! secret-page-content</body></html>"));

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(server.Sha1), WsManTestListener.Credential(), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.ProtocolError, e.Kind);
        Assert.DoesNotContain("secret-page-content", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(new WinRmEndpoint("127.0.0.1", port, UseHttps: true, new string('0', 40)), WsManTestListener.Credential(), Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.Unreachable, e.Kind);
    }

    [Fact]
    public async Task Ntlm_against_a_listener_that_offers_no_ntlm_challenge_is_auth_failed()
    {
        // The listener only speaks Basic: the NEGOTIATE message gets a 401 with no Negotiate challenge.
        await using var server = await WsManTestListener.StartAsync();
        var credential = new WinRmCredential(@"CORP\admin", null, "Ntlm-Passw0rd", WinRmAuthentication.Ntlm);

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() =>
            WinRmClient.ConnectAsync(server.Endpoint(server.Sha1), credential, Options, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.AuthFailed, e.Kind);
        Assert.DoesNotContain("Ntlm-Passw0rd", e.ToString(), StringComparison.Ordinal);
    }
}
