using System.Net;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// An all-in-one host and one Windows target with connection winrm: the WS-Management test server
/// (<see cref="WinRmServerFixture"/>, in this process) on its HTTP listener, NTLM with message encryption, where
/// <c>powershell.exe</c> is the repository's pwsh. No Windows machine is involved.
/// </summary>
public sealed class WinRmFleetFixture : HostFixture, IWindowsTargetFixture
{
    public WinRmServerFixture WinRm { get; } = new();
    public long TargetId { get; private set; }
    public string CredentialPassword => WinRmServerFixture.Password;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Executor__OutputCapBytes"] = "20000",
    };

    public override async Task InitializeAsync()
    {
        await WinRm.InitializeAsync();
        await base.InitializeAsync();
        using var admin = await AdminAsync();
        var credential = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/credentials", new
        {
            name = Inventory.UniqueName("winrm"),
            type = "winrm",
            username = WinRmServerFixture.User,
            authentication = "ntlm",
            secret = new { password = WinRmServerFixture.Password },
        }));
        var target = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("win"),
            hostname = "127.0.0.1",
            port = WinRm.HttpPort,
            osType = "windows",
            connection = "winrm",
            credentialId = credential.GetProperty("id").GetInt64(),
            winrm = new { useHttps = false },
        }));
        TargetId = target.GetProperty("id").GetInt64();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await WinRm.DisposeAsync();
    }
}
