using OpsConductor.WinRmServer;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// The WS-Management test server in-process: one HTTPS listener (Basic and NTLM, self-signed certificate, see
/// <see cref="Thumbprint"/>) and one HTTP listener (NTLM with message encryption only), with a local test account
/// and a domain account. Commands run locally with /bin/sh, PowerShell with the repository's pwsh.
/// </summary>
public sealed class WinRmServerFixture : IAsyncLifetime
{
    public const string User = "opsc-winrm";
    public const string Password = "WinRm-Test-Passw0rd!";
    public const string DomainUser = "svc-deploy";
    public const string DomainPassword = "D0main-Passw0rd!";
    public const string Domain = "CORP";

    WinRmTestServer? _server;

    public WinRmTestServer Server => _server ?? throw new InvalidOperationException("not started");

    public int HttpsPort => Server.HttpsPorts[0];

    public int HttpPort => Server.HttpPorts[0];

    public Uri HttpsUri => new($"https://127.0.0.1:{HttpsPort}/wsman");

    public Uri HttpUri => new($"http://127.0.0.1:{HttpPort}/wsman");

    /// <summary>SHA-256 of the HTTPS certificate, upper-case hex.</summary>
    public string Thumbprint => Server.Thumbprint;

    public async Task InitializeAsync() => _server = await WinRmTestServer.StartAsync(new WinRmTestServerOptions
    {
        Users = [new WinRmTestUser(User, Password), new WinRmTestUser(DomainUser, DomainPassword, Domain)],
        HttpListeners = 1,
        HttpsListeners = 1,
        PowerShell = LocalProcess.PowerShell,
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
