namespace OpsConductor.Executor.Sessions;

/// <summary>A session could not be opened. The message is written by OpsConductor and never holds a secret.</summary>
public sealed class TargetConnectException(TargetConnectFailure failure, string message) : Exception(message)
{
    public TargetConnectFailure Failure { get; } = failure;
}
