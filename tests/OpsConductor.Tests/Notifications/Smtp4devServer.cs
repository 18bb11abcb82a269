using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MimeKit;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Notifications;

/// <summary>
/// A real SMTP server for the tests: smtp4dev (the dotnet tool scripts/install-test-deps.sh puts under .tools/smtp4dev)
/// on free loopback ports, with an in-memory store, read back through its REST API (<c>/api/messages</c>, each
/// message's raw source, parsed with MimeKit, and <c>/api/sessions</c>, the connections).
/// </summary>
public sealed class Smtp4devServer : IAsyncDisposable
{
    /// <param name="RecipientValidation">smtp4dev's JavaScript expression over <c>recipient</c>: false refuses that RCPT TO (550).</param>
    public sealed record Options(string TlsMode = "None", string? CertificatePfx = null, string? User = null, string? Password = null, int? SmtpPort = null,
        string? RecipientValidation = null);

    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly HttpClient _api;
    readonly string _directory;

    public int SmtpPort { get; }

    Smtp4devServer(Process process, int smtpPort, Uri apiBase, string directory)
    {
        _process = process;
        SmtpPort = smtpPort;
        _api = new HttpClient { BaseAddress = apiBase, Timeout = TimeSpan.FromSeconds(20) };
        _directory = directory;
    }

    public static string Tool => RepositoryPaths.Combine(".tools", "smtp4dev", "smtp4dev");

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

    public static async Task<Smtp4devServer> StartAsync(Options? options = null)
    {
        options ??= new Options();
        if (!File.Exists(Tool))
        {
            throw new InvalidOperationException($"smtp4dev is not installed at {Tool}: run scripts/install-test-deps.sh.");
        }
        var directory = Directory.CreateTempSubdirectory("opsc-smtp4dev-").FullName;
        var smtpPort = options.SmtpPort ?? FreePort();
        var webPort = FreePort();
        var start = new ProcessStartInfo(Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{webPort}");
        start.ArgumentList.Add($"--smtpport={smtpPort}");
        start.ArgumentList.Add($"--imapport={FreePort()}");
        start.ArgumentList.Add($"--pop3port={FreePort()}");
        start.ArgumentList.Add("--db=");
        start.ArgumentList.Add("--nousersettings");
        start.ArgumentList.Add("--hostname=localhost");
        start.ArgumentList.Add($"--baseappdatapath={directory}");
        start.ArgumentList.Add($"--tlsmode={options.TlsMode}");
        if (options.CertificatePfx is { } pfx)
        {
            start.ArgumentList.Add($"--tlscertificate={pfx}");
        }
        if (options.User is { } user)
        {
            start.ArgumentList.Add("--authenticationrequired");
            start.ArgumentList.Add("--smtpallowanycredentials-");
            start.ArgumentList.Add($"--user={user}={options.Password}");
        }
        if (options.RecipientValidation is { } validation)
        {
            start.Environment["ServerOptions__RecipientValidationExpression"] = validation;
        }
        start.Environment["XDG_CONFIG_HOME"] = directory;
        start.Environment["HOME"] = directory;
        var process = new Process { StartInfo = start };
        var server = new Smtp4devServer(process, smtpPort, new Uri($"http://127.0.0.1:{webPort}"), directory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"smtp4dev exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await _api.GetAsync("/api/messages");
                if (response.IsSuccessStatusCode && await SmtpAcceptsAsync())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"smtp4dev did not start:\n{Output}");
    }

    async Task<bool> SmtpAcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public sealed record Summary(string Id, string Subject, IReadOnlyList<string> To);

    public async Task<IReadOnlyList<Summary>> MessagesAsync()
    {
        var all = new List<Summary>();
        for (var page = 1; ; page++)
        {
            var body = JsonDocument.Parse(await _api.GetStringAsync($"/api/messages?page={page}&pageSize=500")).RootElement;
            foreach (var m in body.GetProperty("results").EnumerateArray())
            {
                all.Add(new Summary(m.GetProperty("id").GetString()!, m.GetProperty("subject").GetString() ?? "",
                    m.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToList()));
            }
            if (page >= body.GetProperty("pageCount").GetInt32())
            {
                return all;
            }
        }
    }

    /// <summary>One SMTP connection the server took: how many messages came over it, and when it opened and closed.</summary>
    public sealed record Session(string Id, int Messages, DateTimeOffset Start, DateTimeOffset? End);

    /// <summary>The connections smtp4dev kept (<c>/api/sessions</c>; by default the last 100).</summary>
    public async Task<IReadOnlyList<Session>> SessionsAsync()
    {
        var all = new List<Session>();
        for (var page = 1; ; page++)
        {
            var body = JsonDocument.Parse(await _api.GetStringAsync($"/api/sessions?page={page}&pageSize=500")).RootElement;
            foreach (var s in body.GetProperty("results").EnumerateArray())
            {
                all.Add(new Session(s.GetProperty("id").GetString()!, s.GetProperty("numberOfMessages").GetInt32(), s.GetProperty("startDate").GetDateTimeOffset(),
                    s.GetProperty("endDate").ValueKind == JsonValueKind.Null ? null : s.GetProperty("endDate").GetDateTimeOffset()));
            }
            if (page >= body.GetProperty("pageCount").GetInt32())
            {
                return all;
            }
        }
    }

    /// <summary>The message as it arrived (its raw source, parsed).</summary>
    public async Task<MimeMessage> MessageAsync(string id)
    {
        await using var source = await _api.GetStreamAsync($"/api/messages/{id}/raw");
        var buffer = new MemoryStream();
        await source.CopyToAsync(buffer);
        buffer.Position = 0;
        return await MimeMessage.LoadAsync(buffer);
    }

    /// <summary>Polls until at least <paramref name="count"/> messages match (or the time is up), then returns the matching ones.</summary>
    public async Task<IReadOnlyList<Summary>> WaitForAsync(Func<Summary, bool> match, int count = 1, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        IReadOnlyList<Summary> found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = (await MessagesAsync()).Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{found.Count} of {count} expected messages arrived in {seconds} s. smtp4dev log:\n{Output}");
    }

    /// <summary>A self-signed certificate for localhost as a PFX file without a password (for smtp4dev's TLS).</summary>
    public static string CreateCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var path = Path.Combine(directory, "smtp-test.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _api.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
