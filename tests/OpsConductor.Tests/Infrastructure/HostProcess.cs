using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// The real OpsConductor host as a child process on a free loopback port, with its console output
/// captured (so tests can read the logs, for example to check that no secret reaches them).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string AdminPassword = "Test-Admin-Password-1";

    readonly Process _process;
    readonly StringBuilder _output = new();

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    HostProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The output once it contains <paramref name="text"/> (or after <paramref name="seconds"/>): the console logger
    /// writes on its own thread, so a line can arrive after the response that caused it.
    /// </summary>
    public async Task<string> OutputContainingAsync(string text, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Output.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return Output;
    }

    public int ProcessId => _process.Id;

    public static async Task<HostProcess> StartAsync(
        IDictionary<string, string>? settings = null, string? services = null, string? dataDirectory = null, bool bootstrapPassword = true)
    {
        var port = FreePort();
        dataDirectory ??= Directory.CreateTempSubdirectory("opsc-test-").FullName;
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        if (services is not null)
        {
            start.ArgumentList.Add("--services");
            start.ArgumentList.Add(services);
        }
        var env = start.Environment;
        env["OpsConductor__DataDirectory"] = dataDirectory;
        env["OpsConductor__Security__BcryptWorkFactor"] = "10";
        env["OpsConductor__UiDirectory"] = Path.Combine(dataDirectory, "no-ui");
        env["Logging__LogLevel__Default"] = "Information";
        env["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        if (bootstrapPassword)
        {
            env["OpsConductor__Bootstrap__AdminPassword"] = AdminPassword;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Wait for the redirected output to reach its end: the last lines say why the host stopped.
                _process.WaitForExit();
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host did not become healthy in {timeout}:\n{Output}");
    }

    public ApiClient Client() => new(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>Ends the process at once, as a crash or kill -9 would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string HostDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return RepositoryPaths.Combine("src", "OpsConductor.Host", "bin", configuration, "net10.0", "OpsConductor.Host.dll");
        }
    }
}
