namespace OpsConductor.Remoting.WinRm;

/// <summary>A command running in a <see cref="WinRmShell"/>.</summary>
public sealed class WinRmCommand
{
    WinRmCommand()
    {
    }

    public string CommandId => throw new NotImplementedException();

    /// <summary>Sends bytes to the command's stdin (rsp:Send); <paramref name="end"/> closes stdin.</summary>
    public Task SendInputAsync(ReadOnlyMemory<byte> data, bool end, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>One Receive round (long-polls up to the operation timeout; a w:TimedOut fault is <see cref="WinRmReceiveResult.NothingYet"/>).</summary>
    public Task<WinRmReceiveResult> ReceiveAsync(CancellationToken ct) => throw new NotImplementedException();

    public Task SignalAsync(WinRmSignal signal, CancellationToken ct) => throw new NotImplementedException();
}
