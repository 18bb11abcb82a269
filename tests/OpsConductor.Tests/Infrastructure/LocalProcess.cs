using System.Diagnostics;
using System.Text;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>Runs a local program (a shell, pwsh) with optional stdin and returns what it printed.</summary>
public static class LocalProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The pwsh that scripts/install-test-deps.sh puts under .tools, else the one on PATH.</summary>
    public static string PowerShell
    {
        get
        {
            var local = RepositoryPaths.Combine(".tools", "pwsh");
            return File.Exists(local) ? local : "pwsh";
        }
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, byte[]? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
