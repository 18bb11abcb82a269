namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Why a WinRM client could not connect or authenticate. Messages are written here, never copied from a server's
/// body or a library, so they cannot carry a password.
/// </summary>
public sealed class WinRmConnectException(WinRmFailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public WinRmFailureKind Kind { get; } = kind;
}
