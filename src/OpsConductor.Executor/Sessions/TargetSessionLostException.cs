namespace OpsConductor.Executor.Sessions;

/// <summary>An open session broke while a step ran (the connection dropped, the server faulted); the session is not reused.</summary>
public sealed class TargetSessionLostException(string message, Exception? inner = null) : Exception(message, inner);
