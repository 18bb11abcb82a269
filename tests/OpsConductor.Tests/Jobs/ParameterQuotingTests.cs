using System.Diagnostics;
using OpsConductor.Shared.Scripting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Jobs;

/// <summary>Hostile parameter values reach the command as one literal argument, checked with a real shell.</summary>
public sealed class ParameterQuotingTests
{
    public static TheoryData<string> Hostile => new()
    {
        "plain",
        "it's",
        "'; rm -rf / #",
        "$(touch /tmp/opsc-pwned)",
        "`touch /tmp/opsc-pwned`",
        "a; touch /tmp/opsc-pwned",
        "line1\nline2; touch /tmp/opsc-pwned",
        "\"double\" and 'single' and \\backslash\\",
        "${HOME} $HOME %PATH%",
        "ünïcödé ‘smart’ “quotes” ‚low‛ 日本語 🚀",
        "*",
        "-n",
        "",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Posix_sh_receives_the_value_unchanged_and_runs_nothing_else(string value)
    {
        var script = ScriptTemplate.Render("printf '%s' {{value}}", new Dictionary<string, string> { ["value"] = value }, ShellQuoting.Posix);
        var output = await Run("/bin/sh", "-c", script);
        Assert.Equal(value, output);
        Assert.False(File.Exists("/tmp/opsc-pwned"), "a parameter value ran a command");
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task PowerShell_receives_the_value_unchanged_and_runs_nothing_else(string value)
    {
        var pwsh = PowerShellPath();
        var script = ScriptTemplate.Render("[Console]::Out.Write({{value}})", new Dictionary<string, string> { ["value"] = value }, ShellQuoting.PowerShell);
        var output = await Run(pwsh, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script);
        Assert.Equal(value, output);
        Assert.False(File.Exists("/tmp/opsc-pwned"), "a parameter value ran a command");
    }

    [Fact]
    public void An_undefined_reference_is_an_error_not_an_empty_string()
    {
        Assert.Throws<InvalidOperationException>(() => ScriptTemplate.Render("echo {{missing}}", new Dictionary<string, string>(), ShellQuoting.Posix));
        Assert.Equal(["a", "b_2"], ScriptTemplate.References("{{a}} {{ b_2 }} {{a}} {notref}").Order());
    }

    static string PowerShellPath()
    {
        var local = RepositoryPaths.Combine(".tools", "pwsh");
        return File.Exists(local) ? local : "pwsh";
    }

    static async Task<string> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }
}
