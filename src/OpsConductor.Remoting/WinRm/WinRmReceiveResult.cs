namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// One Receive round: the output chunks in the order the server sent them, and whether the command is done
/// (CommandState Done) with its exit code. A w:TimedOut fault is an empty, not-done result.
/// </summary>
public sealed record WinRmReceiveResult(IReadOnlyList<WinRmOutput> Output, bool Done, int? ExitCode)
{
    public static WinRmReceiveResult NothingYet { get; } = new([], false, null);
}
