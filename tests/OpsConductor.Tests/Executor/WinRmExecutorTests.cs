using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// <see cref="WindowsTargetTests"/> on a Windows target with connection winrm: the WS-Management test server over HTTP
/// with NTLM and message encryption (<see cref="WinRmFleetFixture"/>); one shell per target per run, output received
/// round by round, cancel and timeouts sending the terminate signal and deleting the shell.
/// </summary>
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
}
