using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>HTTPS clients of an nginx gateway with a self-signed certificate, and TLS probes of it.</summary>
public static class GatewayClient
{
    /// <summary>
    /// A client that trusts exactly <paramref name="certificate"/>. <paramref name="from"/>: another loopback address
    /// (127.0.0.2, ...) to connect from, so the gateway sees a client of its own.
    /// </summary>
    public static ApiClient Create(Uri baseAddress, X509Certificate2 certificate, string? from = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.Thumbprint },
        };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new(new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) });
    }

    /// <summary>The certificate of a PEM file (the gateway's self-signed one).</summary>
    public static X509Certificate2 LoadPem(string path)
    {
        var pem = File.ReadAllText(path);
        var start = pem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) + 27;
        var body = pem[start..pem.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal)];
        return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(body));
    }

    /// <summary>Whether a TLS handshake with these openssl s_client options (e.g. "-tls1_2", "-cipher", X) succeeds.</summary>
    public static async Task<(bool Connected, string Output)> HandshakeAsync(int port, params string[] options)
    {
        using var process = Process.Start(new ProcessStartInfo("openssl",
            ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", .. options])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, await output + await error);
    }
}
