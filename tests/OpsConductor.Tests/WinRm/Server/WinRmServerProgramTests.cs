using System.Diagnostics;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>The test server as a program (what bench/ starts): --endpoints, --user, the listening and thumbprint lines.</summary>
public class WinRmServerProgramTests
{
    [Fact]
    public async Task It_listens_on_N_loopback_endpoints_prints_them_and_serves_pywinrm()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "OpsConductor.WinRmServer.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--endpoints", "3", "--https", "0", "--user", "bench:Bench-Passw0rd@WORKGROUP", "--pwsh", LocalProcess.PowerShell })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            var ports = new List<int>();
            string? thumbprint = null;
            while (thumbprint is null && await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ');
                if (words[0] == "listening")
                {
                    Assert.Equal("http", words[1]);
                    ports.Add(int.Parse(words[2]));
                }
                else if (words[0] == "thumbprint" && words[1] == "sha256")
                {
                    thumbprint = words[2];
                }
            }
            Assert.Equal(3, ports.Distinct().Count());
            Assert.Matches("^[0-9A-F]{64}$", thumbprint);

            var result = await PyWinRm.RunAsync($$"""
                import json, winrm
                outs = []
                for port in {{"[" + string.Join(",", ports) + "]"}}:
                    s = winrm.Session('http://127.0.0.1:%d/wsman' % port, auth=('WORKGROUP\\bench', 'Bench-Passw0rd'), transport='ntlm', message_encryption='always')
                    outs.append(s.run_cmd('echo', ['endpoint']).std_out.decode())
                print(json.dumps(outs))
                """);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Equal(["endpoint\n", "endpoint\n", "endpoint\n"], result.Json.EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
