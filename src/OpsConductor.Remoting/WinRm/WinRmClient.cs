using System.Xml.Linq;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// One authenticated WS-Management connection to one endpoint (HTTP keep-alive; NTLM is bound to the connection,
/// so requests of one client are sent one at a time). Create shells on it; dispose it when done.
/// </summary>
public sealed class WinRmClient : IAsyncDisposable
{
    readonly WinRmTransport _transport;
    int _disposed;

    WinRmClient(WinRmEndpoint endpoint, WinRmCredential credential, WinRmClientOptions options)
    {
        Endpoint = endpoint;
        Options = options;
        _transport = new WinRmTransport(endpoint, credential, options);
    }

    public WinRmEndpoint Endpoint { get; }

    public WinRmClientOptions Options { get; }

    /// <summary>Connects and authenticates (the NTLM handshake on an empty POST, or an authenticated Identify with Basic); throws <see cref="WinRmConnectException"/>.</summary>
    public static async Task<WinRmClient> ConnectAsync(WinRmEndpoint endpoint, WinRmCredential credential, WinRmClientOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        if (credential.Authentication == WinRmAuthentication.Basic && !endpoint.UseHttps)
        {
            throw new WinRmConnectException(WinRmFailureKind.InsecureRefused,
                "Basic authentication over plain HTTP would send the password in the clear; use HTTPS (port 5986) or NTLM.");
        }
        var client = new WinRmClient(endpoint, credential, options);
        try
        {
            await client._transport.ConnectAsync(ct).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a cmd shell (resource http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd).</summary>
    public async Task<WinRmShell> CreateShellAsync(WinRmShellOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var answer = await SendAsync(WsManEnvelope.Create(_transport.Uri, Options, options), ct).ConfigureAwait(false);
        return new WinRmShell(this, WsManResponse.ShellId(answer));
    }

    /// <summary>True while the underlying connection is usable for another shell (for pooling).</summary>
    public bool IsConnected => Volatile.Read(ref _disposed) == 0 && _transport.IsUsable;

    internal Uri Uri => _transport.Uri;

    /// <summary>Whether a best-effort request (terminate, delete) is worth trying after an error or cancel.</summary>
    internal bool CanSend => Volatile.Read(ref _disposed) == 0 && _transport.CanSend;

    internal Task<XDocument> SendAsync(XDocument envelope, CancellationToken ct) => _transport.SendAsync(envelope, ct);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _transport.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
