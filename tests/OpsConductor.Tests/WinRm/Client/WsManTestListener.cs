using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>
/// A real Kestrel HTTPS listener on loopback with a self-signed certificate that checks Basic credentials and answers
/// each request with what <see cref="Respond"/> returns (recorded Windows responses). It checks the client's TLS,
/// authentication and request flow only; it is not a WinRM server (that is the winrm-server branch's test server).
/// </summary>
public sealed class WsManTestListener : IAsyncDisposable
{
    public const string User = "winrm-user";
    public const string Password = "Wr0ng&Right-Passw0rd!";

    readonly WebApplication _app;

    WsManTestListener(WebApplication app, X509Certificate2 certificate, int port)
    {
        _app = app;
        Certificate = certificate;
        Port = port;
    }

    public X509Certificate2 Certificate { get; }

    public int Port { get; }

    /// <summary>Every request that reached the handler: its wsa:Action (or "" for a body that is not SOAP) and parsed body.</summary>
    public ConcurrentQueue<(string Action, XDocument? Body)> Requests { get; } = new();

    /// <summary>Answers a request: status and body (text/xml). Default: 500 with an "unexpected" fault.</summary>
    public Func<string, XDocument?, CancellationToken, Task<(int Status, string Body)>> Respond { get; set; } =
        (_, _, _) => Task.FromResult((500, "<html>no handler</html>"));

    public string Sha1 => Convert.ToHexString(SHA1.HashData(Certificate.RawData));

    public string Sha256 => Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    public WinRmEndpoint Endpoint(string? thumbprint) => new("127.0.0.1", Port, UseHttps: true, thumbprint);

    public static WinRmCredential Credential(string password = Password) => new(User, null, password, OpsConductor.Shared.Contracts.WinRmAuthentication.Basic);

    public static async Task<WsManTestListener> StartAsync()
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        WsManTestListener? self = null;
        app.Run(async context =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password));
            if (context.Request.Headers.Authorization.ToString() != expected)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"WSMAN\"";
                return;
            }
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            XDocument? body = null;
            try
            {
                body = XDocument.Parse(text);
            }
            catch (System.Xml.XmlException)
            {
            }
            var action = body?.Root?.Element(WsManNames.Soap + "Header")?.Element(WsManNames.Addressing + "Action")?.Value
                ?? (body?.Root?.Element(WsManNames.Soap + "Body")?.Element(WsManNames.Identity + "Identify") is not null ? "Identify" : "");
            self!.Requests.Enqueue((action, body));
            var (status, answer) = await self.Respond(action, body, context.RequestAborted);
            context.Response.StatusCode = status;
            context.Response.ContentType = answer.StartsWith('<') && !answer.StartsWith("<html", StringComparison.Ordinal) ? WsManNames.SoapContentType : "text/html";
            await context.Response.WriteAsync(answer, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WsManTestListener(app, certificate, new Uri(address).Port);
        return self;
    }

    /// <summary>The body of an IdentifyResponse as Windows answers it.</summary>
    public const string IdentifyResponse =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsmid=\"http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd\"><s:Header/><s:Body><wsmid:IdentifyResponse><wsmid:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</wsmid:ProtocolVersion><wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor><wsmid:ProductVersion>OS: 0.0.0 SP: 0.0 Stack: 3.0</wsmid:ProductVersion></wsmid:IdentifyResponse></s:Body></s:Envelope>";

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=winrm-test.local", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
