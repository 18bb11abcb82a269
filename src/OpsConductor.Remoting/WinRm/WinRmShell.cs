namespace OpsConductor.Remoting.WinRm;

/// <summary>A remote shell; disposing deletes it on the server (best effort, also after errors and cancel).</summary>
public sealed class WinRmShell : IAsyncDisposable
{
    /// <summary>How long a best-effort Delete may take when the caller's token is already cancelled.</summary>
    static readonly TimeSpan DeleteGrace = TimeSpan.FromSeconds(10);

    readonly WinRmClient _client;
    int _deleted;

    internal WinRmShell(WinRmClient client, string shellId)
    {
        _client = client;
        ShellId = shellId;
    }

    public string ShellId { get; }

    internal WinRmClient Client => _client;

    /// <summary>Starts a command: <paramref name="command"/> is the program, <paramref name="arguments"/> each its own rsp:Arguments.</summary>
    public async Task<WinRmCommand> StartCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _deleted) != 0, this);
        var answer = await _client.SendAsync(WsManEnvelope.Command(_client.Uri, _client.Options, ShellId, command, arguments), ct).ConfigureAwait(false);
        return new WinRmCommand(this, WsManResponse.CommandId(answer));
    }

    /// <summary>
    /// Deletes the shell; safe to call twice (the second call does nothing). Best effort: when the connection is gone
    /// the server reclaims the shell after its idle timeout, and errors are not thrown.
    /// </summary>
    public async Task DeleteAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _deleted, 1) != 0 || !_client.CanSend)
        {
            return;
        }
        // Also after cancel: the delete gets its own short budget rather than the (possibly cancelled) caller's token.
        using var budget = new CancellationTokenSource(DeleteGrace);
        try
        {
            await _client.SendAsync(WsManEnvelope.Delete(_client.Uri, _client.Options, ShellId), budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WinRmFaultException or WinRmConnectException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort: the shell is gone already, or the server will reclaim it.
        }
    }

    public ValueTask DisposeAsync() => new(DeleteAsync(CancellationToken.None));
}
