using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.WinRmServer.Http;
using OpsConductor.WinRmServer.Shells;

namespace OpsConductor.WinRmServer;

/// <summary>
/// A WS-Management server with the WinRS shell resource on loopback, in-process (tests) or as a program
/// (benchmarks). HTTPS listeners use a self-signed certificate generated at start; see <see cref="Thumbprint"/>.
/// </summary>
public sealed class WinRmTestServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ShellService _shells;
    readonly WsManHttpHandler _handler;
    readonly string _directory;

    WinRmTestServer(WebApplication app, ShellService shells, WsManHttpHandler handler, X509Certificate2 certificate, string directory)
    {
        _app = app;
        _shells = shells;
        _handler = handler;
        Certificate = certificate;
        _directory = directory;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The HTTPS certificate's SHA-256 thumbprint, upper-case hex.</summary>
    public string Thumbprint => Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    /// <summary>The HTTPS certificate's SHA-1 thumbprint (as Windows' certificate store shows it).</summary>
    public string ThumbprintSha1 => Certificate.Thumbprint;

    public IReadOnlyList<int> HttpPorts { get; private set; } = [];

    public IReadOnlyList<int> HttpsPorts { get; private set; } = [];

    public IReadOnlyList<int> Ports => [.. HttpPorts, .. HttpsPorts];

    /// <summary>Shells created and not deleted yet (a client that always deletes its shells leaves 0).</summary>
    public int LiveShellCount => _shells.LiveShellCount;

    /// <summary>Receive requests long-polling right now: a client waiting for output.</summary>
    public int WaitingReceives => _shells.WaitingReceives;

    /// <summary>Why the last login was refused (user name and reason, never a secret).</summary>
    public string? LastAuthFailure => _handler.LastAuthFailure;

    /// <summary>The last requests as "scheme connection action -> status" (for failure messages of tests).</summary>
    public IReadOnlyList<string> RecentRequests => _handler.RecentRequests;

    public static async Task<WinRmTestServer> StartAsync(WinRmTestServerOptions options, CancellationToken ct = default)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var certificate = CreateCertificate(options.Names.DnsComputer, options.Time);
        var directory = Directory.CreateTempSubdirectory("opsc-winrm-").FullName;
        var shells = new ShellService(options, directory);
        var handler = new WsManHttpHandler(options, shells);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
            var next = options.Port;
            for (var i = 0; i < options.HttpListeners; i++)
            {
                kestrel.Listen(IPAddress.Loopback, next == 0 ? 0 : next++, l => l.Protocols = HttpProtocols.Http1);
            }
            for (var i = 0; i < options.HttpsListeners; i++)
            {
                kestrel.Listen(IPAddress.Loopback, next == 0 ? 0 : next++, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    l.UseHttps(certificate);
                });
            }
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct);

        var server = new WinRmTestServer(app, shells, handler, certificate, directory);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        server.HttpPorts = [.. addresses.Where(a => a.Scheme == "http").Select(a => a.Port)];
        server.HttpsPorts = [.. addresses.Where(a => a.Scheme == "https").Select(a => a.Port)];
        return server;
    }

    static X509Certificate2 CreateCertificate(string dnsName, TimeProvider time)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        // Kestrel needs the private key in a usable form: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        _shells.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed command may still hold a file there for a moment; the temp directory is cleaned later.
        }
    }
}
