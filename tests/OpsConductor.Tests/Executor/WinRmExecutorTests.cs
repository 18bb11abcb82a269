using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// <see cref="WindowsTargetTests"/> on a Windows target with connection winrm: the WS-Management test server over HTTP
/// with NTLM and message encryption (<see cref="WinRmFleetFixture"/>); one shell per target per run, output received
/// round by round, cancel and timeouts sending the terminate signal and deleting the shell.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WinRmExecutorTests(WinRmFleetFixture windows) : WindowsTargetTests(windows), IClassFixture<WinRmFleetFixture>
{
    readonly WinRmFleetFixture _winrm = windows;

    [Fact]
    public async Task Steps_of_a_run_share_one_shell_which_is_deleted_when_the_run_is_done()
    {
        using var op = await _winrm.AdminAsync();
        var job = await JobAsync(op,
            [
                new { name = "one", type = "powershell", script = "Write-Output one" },
                new { name = "two", type = "command", script = "Write-Output two" },
            ]);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job), seconds: 120);
        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal("two", run.GetProperty("targets")[0].GetProperty("steps")[1].Str("stdout"));
        for (var i = 0; i < 50 && _winrm.WinRm.Server.LiveShellCount > 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(0, _winrm.WinRm.Server.LiveShellCount);
    }

    [Fact]
    public async Task A_refused_login_or_a_closed_port_fails_the_target_with_the_reason()
    {
        using var op = await _winrm.AdminAsync();
        var credential = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/credentials", new
        {
            name = Inventory.UniqueName("winrm-bad"),
            type = "winrm",
            username = WinRmServerFixture.User,
            authentication = "ntlm",
            secret = new { password = "not-the-password" },
        }));
        var wrongPassword = await WindowsTargetAsync(op, credential.GetProperty("id").GetInt64(), _winrm.WinRm.HttpPort);
        var closedPort = await WindowsTargetAsync(op, credential.GetProperty("id").GetInt64(), SshServer.FreePort());
        var job = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("win-job"),
            parameters = Array.Empty<object>(),
            steps = new[] { new { name = "hello", type = "command", script = "Write-Output hi" } },
            targets = new { targetIds = new[] { wrongPassword, closedPort } },
        }));
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job.GetProperty("id").GetInt64()), seconds: 120);

        Assert.Equal("failed", run.Str("status"));
        var targets = run.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("targetId").GetInt64());
        Assert.Equal("failed", targets[wrongPassword].Str("status"));
        Assert.Contains("refused", targets[wrongPassword].Str("error"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("failed", targets[closedPort].Str("status"));
        Assert.NotEqual(targets[wrongPassword].Str("error"), targets[closedPort].Str("error"));
        Assert.DoesNotContain("not-the-password", run.ToString());
        Assert.DoesNotContain("not-the-password", _winrm.Host.Output);
    }

    static async Task<long> WindowsTargetAsync(ApiClient op, long credentialId, int port)
    {
        var target = await op.ExpectAsync(HttpStatusCode.Created, op.PostAsync("/api/v1/targets", new
        {
            name = Inventory.UniqueName("win"),
            hostname = "127.0.0.1",
            port,
            osType = "windows",
            connection = "winrm",
            credentialId,
            winrm = new { useHttps = false },
        }));
        return target.GetProperty("id").GetInt64();
    }
}
