namespace OpsConductor.WinRmServer.Shells;

/// <summary>
/// What one Receive answers: output chunks (each at most the server's cap), the streams that ended with this
/// batch, and whether the command is done with its exit code. Empty and not done means the wait timed out.
/// </summary>
public sealed record ReceiveBatch(IReadOnlyList<OutputChunk> Chunks, IReadOnlyList<string> EndedStreams, bool Done, int ExitCode)
{
    public bool IsEmpty => Chunks.Count == 0 && EndedStreams.Count == 0 && !Done;
}
