using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>The command lines PowerShell scripts become, run through a real pwsh (the same parameters powershell.exe takes).</summary>
public sealed class PowerShellCommandTests
{
    [Fact]
    public void A_short_script_is_an_encoded_command_of_utf16le_base64()
    {
        var command = PowerShellCommand.For("Write-Output 'hé'");

        Assert.Equal("powershell.exe", command.Program);
        Assert.Equal(["-NoProfile", "-NonInteractive", "-EncodedCommand"], command.Arguments.Take(3));
        Assert.Equal("Write-Output 'hé'", Encoding.Unicode.GetString(Convert.FromBase64String(command.Arguments[3])));
        Assert.Null(command.Stdin);
        Assert.True(command.CommandLine.Length <= PowerShellCommand.MaxCommandLineLength);
    }

    [Fact]
    public void A_script_too_long_for_the_command_line_goes_through_stdin()
    {
        var script = string.Join("\n", Enumerable.Range(0, 400).Select(i => $"$v{i} = 'line {i}'"));

        var command = PowerShellCommand.For(script);

        Assert.NotNull(command.Stdin);
        Assert.True(command.CommandLine.Length <= PowerShellCommand.MaxCommandLineLength);
        Assert.Equal(PowerShellCommand.StdinBootstrap, Encoding.Unicode.GetString(Convert.FromBase64String(command.Arguments[3])));
        Assert.Equal(script, Encoding.Unicode.GetString(Convert.FromBase64String(Encoding.ASCII.GetString(command.Stdin!).Trim())));
    }

    [Theory]
    [InlineData("Write-Output 'hi'; exit 5")]
    [InlineData("throw 'boom'")]
    [InlineData("function f {\n  'multi'\n}\nf")]
    [InlineData("Write-Error 'e'")]
    [InlineData("Write-Output 'ünï €'; $LASTEXITCODE = 0; sh -c 'exit 4'; exit $LASTEXITCODE")]
    [InlineData("sh -c 'exit 3'")]
    public async Task Both_forms_give_the_same_output_and_exit_code_in_a_real_pwsh(string script)
    {
        var encoded = PowerShellCommand.Encoded(script, LocalProcess.PowerShell);
        var stdin = PowerShellCommand.ThroughStdin(script, LocalProcess.PowerShell);

        var a = await LocalProcess.RunAsync(encoded.Program, encoded.Arguments);
        var b = await LocalProcess.RunAsync(stdin.Program, stdin.Arguments, stdin.Stdin);

        Assert.Equal(a.ExitCode, b.ExitCode);
        Assert.Equal(a.Stdout, b.Stdout);
    }

    [Fact]
    public async Task A_long_script_through_stdin_runs_whole_in_a_real_pwsh()
    {
        var script = string.Join("\n", Enumerable.Range(0, 800).Select(i => $"$total += {i}")) + "\n\"total=$total\"\nexit 7";
        var command = PowerShellCommand.For(script, LocalProcess.PowerShell);
        Assert.NotNull(command.Stdin);

        var run = await LocalProcess.RunAsync(command.Program, command.Arguments, command.Stdin);

        Assert.Equal(7, run.ExitCode);
        Assert.Equal($"total={Enumerable.Range(0, 800).Sum()}", run.Stdout.Trim());
    }
}
