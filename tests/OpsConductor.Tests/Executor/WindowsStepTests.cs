using OpsConductor.Executor.Windows;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Scripting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>How a Windows step is built and how its stderr is read back, without a target.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class WindowsStepTests
{
    [Fact]
    public void The_command_line_holds_no_script_and_no_value_and_stays_under_the_cmd_limit()
    {
        var script = "Write-Output '{{v}}'\n" + new string('x', 20_000);
        var step = WindowsStep.Build(new StepPlan(0, "s", StepType.Powershell, "# " + script, null, false, 0), new Dictionary<string, string> { ["v"] = "s3cret-value" });

        Assert.True(step.CommandLine.Length < WindowsStep.CommandLineLimit, $"{step.CommandLine.Length} characters");
        Assert.StartsWith("powershell -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ", step.CommandLine);
        Assert.DoesNotContain("s3cret", step.CommandLine);
        Assert.All(step.CommandLine.Split(' ').Skip(1), word => Assert.Matches("^[-A-Za-z0-9+/=]+$", word));
        Assert.True(step.Input.Length > 20_000);
    }

    [Theory]
    [InlineData("#!/bin/bash\necho hi")]
    [InlineData("#!/usr/bin/env sh\necho hi")]
    [InlineData("#!/usr/bin/python3\nprint('hi')")]
    public void A_shell_script_with_a_non_powershell_shebang_is_refused(string script)
    {
        var refused = Assert.Throws<ScriptRefusedException>(() =>
            WindowsStep.Build(new StepPlan(0, "s", StepType.ShellScript, script, null, false, 0), new Dictionary<string, string>()));
        Assert.Contains("Windows targets run steps in PowerShell", refused.Message);
    }

    [Theory]
    [InlineData("#!/usr/bin/env pwsh\nWrite-Output hi")]
    [InlineData("Write-Output hi")]
    public void A_shell_script_in_powershell_is_accepted(string script) =>
        Assert.NotNull(WindowsStep.Build(new StepPlan(0, "s", StepType.ShellScript, script, null, false, 0), new Dictionary<string, string>()));

    [Fact]
    public void Clixml_error_records_become_text()
    {
        // What pwsh 7.6 writes to a redirected stderr for Write-Error under -EncodedCommand (captured on this machine).
        const string Pwsh = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Error\">_x001B_[31;1mWrite-Error: _x001B_[31;1mboom_x001B_[0m_x000A_</S></Objs>";
        Assert.Equal(["Write-Error: boom"], Clixml.DecodeDocument(Pwsh));

        // Windows PowerShell's form: one S per line of the error, CRLF escaped; progress records are not output.
        const string Desktop = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
            + "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T></TN><MS><I64 N=\"SourceId\">1</I64></MS></Obj>"
            + "<S S=\"Error\">fake : The term 'fake' is not recognized_x000D__x000A_</S><S S=\"Error\">At line:1 char:1_x000D__x000A_</S></Objs>";
        Assert.Equal(["fake : The term 'fake' is not recognized", "At line:1 char:1"], Clixml.DecodeDocument(Desktop));

        Assert.Null(Clixml.DecodeDocument("<Objs><S S=\"Error\">cut off"));
        Assert.Equal([(false, "a "), (true, "<Objs></Objs>"), (false, " b")], Clixml.Split("a <Objs></Objs> b"));
    }
}
