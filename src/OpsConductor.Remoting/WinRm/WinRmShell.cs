namespace OpsConductor.Remoting.WinRm;

/// <summary>A remote shell; disposing deletes it on the server (best effort, also after errors and cancel).</summary>
public sealed class WinRmShell : IAsyncDisposable
{
    WinRmShell()
    {
    }

    public string ShellId => throw new NotImplementedException();

    /// <summary>Starts a command: <paramref name="command"/> is the program, <paramref name="arguments"/> each its own rsp:Arguments.</summary>
    public Task<WinRmCommand> StartCommandAsync(string command, IReadOnlyList<string> arguments, CancellationToken ct) =>
        throw new NotImplementedException();

    /// <summary>Deletes the shell; safe to call twice.</summary>
    public Task DeleteAsync(CancellationToken ct) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
