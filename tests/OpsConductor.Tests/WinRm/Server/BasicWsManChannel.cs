using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// Hand-made WS-Management requests to the test server over HTTPS with Basic (the certificate pinned by its
/// SHA-256), built with the client's <see cref="WsManEnvelope"/> and read with <see cref="WsManResponse"/>.
/// </summary>
public sealed class BasicWsManChannel : IDisposable
{
    readonly HttpClient _http;

    public BasicWsManChannel(WinRmServerFixture fixture, string? user = null, string? password = null)
    {
        Uri = fixture.HttpsUri;
        var thumbprint = fixture.Thumbprint;
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData())) == thumbprint,
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(90) };
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? WinRmServerFixture.User}:{password ?? WinRmServerFixture.Password}"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
    }

    public Uri Uri { get; }

    public WinRmClientOptions Options { get; init; } = WinRmClientOptions.Default;

    public async Task<(HttpStatusCode Status, XDocument? Document, HttpResponseMessage Response)> PostRawAsync(byte[] body, string contentType = WsManNames.SoapContentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await _http.PostAsync(Uri, content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, bytes.Length == 0 ? null : WsManResponse.Load(bytes), response);
    }

    public async Task<(HttpStatusCode Status, XDocument Document)> PostAsync(XDocument request)
    {
        var (status, document, _) = await PostRawAsync(WsManEnvelope.ToBytes(request));
        return (status, document ?? throw new InvalidOperationException($"empty answer with HTTP {(int)status}"));
    }

    public async Task<string> CreateShellAsync(WinRmShellOptions? shell = null) =>
        WsManResponse.ShellId((await PostAsync(WsManEnvelope.Create(Uri, Options, shell ?? WinRmShellOptions.Default))).Document);

    public async Task<string> CommandAsync(string shellId, string command, params string[] arguments) =>
        WsManResponse.CommandId((await PostAsync(WsManEnvelope.Command(Uri, Options, shellId, command, arguments))).Document);

    /// <summary>Receives until Done: stdout, stderr, exit code, and how many Receive responses carried something.</summary>
    public async Task<(string Stdout, string Stderr, int ExitCode, int Responses)> ReceiveAllAsync(string shellId, string commandId)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var responses = 0;
        while (true)
        {
            var (_, document) = await PostAsync(WsManEnvelope.Receive(Uri, Options, shellId, commandId));
            if (WsManResponse.Fault(document) is { } fault && WsManResponse.IsOperationTimeout(fault))
            {
                continue;
            }
            var result = WsManResponse.Receive(document, commandId);
            responses++;
            foreach (var output in result.Output)
            {
                (output.Stream == Shared.Contracts.OutputStream.Stdout ? stdout : stderr).Write(output.Data);
            }
            if (result.Done)
            {
                return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), result.ExitCode ?? -1, responses);
            }
        }
    }

    /// <summary>Receives until stdout has a complete first line (a pid the command printed, say).</summary>
    public async Task<string> ReceiveLineAsync(string shellId, string commandId)
    {
        var text = new StringBuilder();
        while (!text.ToString().Contains('\n'))
        {
            var (_, document) = await PostAsync(WsManEnvelope.Receive(Uri, Options, shellId, commandId));
            if (WsManResponse.Fault(document) is { } fault && WsManResponse.IsOperationTimeout(fault))
            {
                continue;
            }
            foreach (var output in WsManResponse.Receive(document, commandId).Output)
            {
                text.Append(Encoding.UTF8.GetString(output.Data));
            }
        }
        return text.ToString()[..text.ToString().IndexOf('\n')];
    }

    public void Dispose() => _http.Dispose();
}
