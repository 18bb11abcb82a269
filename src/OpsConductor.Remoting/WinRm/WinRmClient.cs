namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// One authenticated WS-Management connection to one endpoint (HTTP keep-alive; NTLM is bound to the connection,
/// so requests of one client are sent one at a time). Create shells on it; dispose it when done.
/// </summary>
public sealed class WinRmClient : IAsyncDisposable
{
    WinRmClient()
    {
    }

    /// <summary>Connects and authenticates (an empty Identify-free handshake request); throws <see cref="WinRmConnectException"/>.</summary>
    public static Task<WinRmClient> ConnectAsync(WinRmEndpoint endpoint, WinRmCredential credential, WinRmClientOptions options, CancellationToken ct) =>
        throw new NotImplementedException();

    /// <summary>Creates a cmd shell (resource http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd).</summary>
    public Task<WinRmShell> CreateShellAsync(WinRmShellOptions options, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>True while the underlying connection is usable for another shell (for pooling).</summary>
    public bool IsConnected => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
