using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>
/// A pooled client whose NTLM connection went away (idle timeout, reset) authenticates a new connection and goes on,
/// against the WinRM test server (NTLM with message encryption over HTTP) behind a proxy that cuts connections.
/// </summary>
public sealed class WinRmReconnectTests(WinRmServerFixture fixture) : IClassFixture<WinRmServerFixture>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_the_connection_drops_the_next_script_runs_on_a_newly_authenticated_one(bool https)
    {
        await using var proxy = new DroppingTcpProxy(https ? fixture.HttpsPort : fixture.HttpPort);
        var endpoint = new WinRmEndpoint("127.0.0.1", proxy.Port, https, https ? fixture.Thumbprint : null);
        var credential = new WinRmCredential(WinRmServerFixture.User, null, WinRmServerFixture.Password, WinRmAuthentication.Ntlm);
        await using var client = await WinRmClient.ConnectAsync(endpoint, credential, WinRmClientOptions.Default, CancellationToken.None);

        var first = await WinRmConnector.RunPowerShellAsync(client, "Write-Output one", Patience, CancellationToken.None);
        Assert.Equal(1, proxy.Accepted);
        proxy.DropAll();
        var second = await WinRmConnector.RunPowerShellAsync(client, "Write-Output two; exit 4", Patience, CancellationToken.None);

        Assert.Equal("one\n", first.Stdout);
        Assert.Equal("two\n", second.Stdout);
        Assert.Equal(4, second.ExitCode);
        Assert.True(proxy.Accepted >= 2);
        Assert.True(client.IsConnected);
        Assert.Equal(0, fixture.Server.LiveShellCount);
    }

    [Fact]
    public async Task A_refused_login_after_a_drop_is_still_auth_failed()
    {
        await using var proxy = new DroppingTcpProxy(fixture.HttpPort);
        var endpoint = new WinRmEndpoint("127.0.0.1", proxy.Port, UseHttps: false);
        var credential = new WinRmCredential(WinRmServerFixture.User, null, "Wrong-Passw0rd", WinRmAuthentication.Ntlm);

        var e = await Assert.ThrowsAsync<WinRmConnectException>(() => WinRmClient.ConnectAsync(endpoint, credential, WinRmClientOptions.Default, CancellationToken.None));

        Assert.Equal(WinRmFailureKind.AuthFailed, e.Kind);
    }
}
