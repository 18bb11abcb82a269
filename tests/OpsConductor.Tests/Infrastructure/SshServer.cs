using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// A real Debian OpenSSH server on a free loopback port, with its own generated host key, config and
/// authorized_keys in a temporary directory. The test user is created by scripts/install-test-deps.sh.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    public const string User = "opsc-test";
    public const string Password = "OpsC-Test-Passw0rd!";
    const string Sshd = "/usr/sbin/sshd";

    readonly StringBuilder _log = new();
    Process? _process;

    readonly string _logLevel;
    readonly string _extraConfig;

    SshServer(string directory, int port, string logLevel, string extraConfig)
    {
        Directory = directory;
        Port = port;
        _logLevel = logLevel;
        _extraConfig = extraConfig;
    }

    public string Directory { get; }
    public int Port { get; }

    /// <summary>The current host key in OpenSSH form, <c>SHA256:...</c>.</summary>
    public string HostKeyFingerprint { get; private set; } = "";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    string AuthorizedKeys => Path.Combine(Directory, "authorized_keys");

    /// <summary>
    /// Starts a server. <paramref name="logLevel"/> <c>INFO</c> makes <see cref="Log"/> show every login attempt
    /// ("Failed password for ...", "Accepted password for ..."). <paramref name="extraConfig"/> is appended to
    /// sshd_config; <paramref name="prepare"/> runs with the server's directory before sshd starts (to write files the
    /// extra config names, such as a ForceCommand wrapper).
    /// </summary>
    public static async Task<SshServer> StartAsync(string logLevel = "ERROR", Func<string, string>? extraConfig = null,
        Func<string, Task>? prepare = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("opsc-sshd-").FullName;
        // sshd reads authorized_keys as the test user: the directory must be traversable by it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "authorized_keys"), "");
        if (prepare is not null)
        {
            await prepare(directory);
        }
        var server = new SshServer(directory, FreePort(), logLevel, extraConfig?.Invoke(directory) ?? "");
        await server.NewHostKeyAsync();
        await server.WriteConfigAsync();
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops the server; the port then refuses connections.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    public Task StartAgainAsync() => StartProcessAsync();

    /// <summary>The same port, a new host key: what a reinstalled (or impersonated) server looks like.</summary>
    public async Task RestartWithNewHostKeyAsync()
    {
        Stop();
        await NewHostKeyAsync();
        await StartProcessAsync();
    }

    public async Task AuthorizeAsync(string publicKey) => await File.AppendAllTextAsync(AuthorizedKeys, publicKey.Trim() + "\n");

    /// <summary>Generates a key pair with ssh-keygen: <c>pem</c> writes the classic PEM format instead of OpenSSH's.</summary>
    public static async Task<(string PrivateKey, string PublicKey)> GenerateKeyAsync(string type, string? passphrase = null, bool pem = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("opsc-key-").FullName;
        var path = Path.Combine(directory, "id");
        var args = new List<string> { "-q", "-t", type, "-N", passphrase ?? "", "-C", "opsc-test-key", "-f", path };
        if (type == "rsa")
        {
            args.AddRange(["-b", "2048"]);
        }
        if (pem)
        {
            args.AddRange(["-m", "PEM"]);
        }
        await RunAsync("ssh-keygen", args);
        var result = (await File.ReadAllTextAsync(path), await File.ReadAllTextAsync(path + ".pub"));
        System.IO.Directory.Delete(directory, recursive: true);
        return result;
    }

    async Task NewHostKeyAsync()
    {
        var key = Path.Combine(Directory, "host_ed25519_key");
        File.Delete(key);
        File.Delete(key + ".pub");
        await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
        // "256 SHA256:abc... comment (ED25519)"
        HostKeyFingerprint = (await RunAsync("ssh-keygen", ["-l", "-E", "sha256", "-f", key + ".pub"])).Split(' ')[1];
    }

    Task WriteConfigAsync() => File.WriteAllTextAsync(Path.Combine(Directory, "sshd_config"), $"""
        Port {Port}
        ListenAddress 127.0.0.1
        HostKey {Path.Combine(Directory, "host_ed25519_key")}
        PasswordAuthentication yes
        KbdInteractiveAuthentication no
        PubkeyAuthentication yes
        StrictModes no
        UsePAM no
        AuthorizedKeysFile {AuthorizedKeys}
        PidFile {Path.Combine(Directory, "sshd.pid")}
        AllowUsers {User}
        MaxStartups 100:30:200
        LogLevel {_logLevel}
        {_extraConfig}
        """);

    async Task StartProcessAsync()
    {
        System.IO.Directory.CreateDirectory("/run/sshd");
        var start = new ProcessStartInfo(Sshd)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-D", "-e", "-f", Path.Combine(Directory, "sshd_config") })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {process.ExitCode}: {Log}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"sshd did not listen on {Port}: {Log}");
    }

    void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    static async Task<string> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
        }
        return output;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
