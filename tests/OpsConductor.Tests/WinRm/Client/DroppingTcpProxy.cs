using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>
/// A loopback TCP forwarder to a local port whose connections the test can cut, as a server's idle timeout or a
/// network reset would: the client's next request has to go out on a new connection.
/// </summary>
public sealed class DroppingTcpProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly int _target;
    readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;
    int _accepted;

    public DroppingTcpProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many client connections came in so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Closes every open connection (both sides).</summary>
    public void DropAll()
    {
        foreach (var (client, server) in _pairs)
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            server.Dispose();
            _pairs.TryRemove(client, out _);
        }
    }

    async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                _pairs[client] = server;
                _ = PipeAsync(client, server);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    async Task PipeAsync(TcpClient client, TcpClient server)
    {
        try
        {
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _pairs.TryRemove(client, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }
}
