namespace OpsConductor.Remoting.WinRm;

/// <summary>A command running in a <see cref="WinRmShell"/>.</summary>
public sealed class WinRmCommand
{
    readonly WinRmShell _shell;

    internal WinRmCommand(WinRmShell shell, string commandId)
    {
        _shell = shell;
        CommandId = commandId;
    }

    public string CommandId { get; }

    /// <summary>Sends bytes to the command's stdin (rsp:Send); <paramref name="end"/> closes stdin.</summary>
    public async Task SendInputAsync(ReadOnlyMemory<byte> data, bool end, CancellationToken ct)
    {
        var client = _shell.Client;
        await client.SendAsync(WsManEnvelope.Send(client.Uri, client.Options, _shell.ShellId, CommandId, data.Span, end), ct).ConfigureAwait(false);
    }

    /// <summary>One Receive round (long-polls up to the operation timeout; a w:TimedOut fault is <see cref="WinRmReceiveResult.NothingYet"/>).</summary>
    public async Task<WinRmReceiveResult> ReceiveAsync(CancellationToken ct)
    {
        var client = _shell.Client;
        try
        {
            var answer = await client.SendAsync(WsManEnvelope.Receive(client.Uri, client.Options, _shell.ShellId, CommandId), ct).ConfigureAwait(false);
            return WsManResponse.Receive(answer, CommandId);
        }
        catch (WinRmFaultException fault) when (WsManResponse.IsOperationTimeout(fault))
        {
            return WinRmReceiveResult.NothingYet;
        }
    }

    public async Task SignalAsync(WinRmSignal signal, CancellationToken ct)
    {
        var client = _shell.Client;
        await client.SendAsync(WsManEnvelope.Signal(client.Uri, client.Options, _shell.ShellId, CommandId, signal), ct).ConfigureAwait(false);
    }
}
