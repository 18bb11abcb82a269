namespace OpsConductor.Remoting.Ssh;

public enum SshFailureKind
{
    /// <summary>No SSH server answered: connection refused, timed out, name not resolved, handshake cut off.</summary>
    Unreachable,

    /// <summary>The server refused the credential.</summary>
    AuthFailed,

    /// <summary>The server's host key differs from the pinned one; nothing was sent to it.</summary>
    HostKeyMismatch,

    /// <summary>No host key is pinned and the credential is a password: it was not sent, the fingerprint needs confirming.</summary>
    HostKeyUnconfirmed,
}

/// <summary>
/// Why an SSH connection failed. Messages are written here, never copied from the underlying library or
/// server, so they cannot carry a password, a key or a passphrase.
/// </summary>
public sealed class SshConnectException(SshFailureKind kind, string message, string? hostKeyFingerprint = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SshFailureKind Kind { get; } = kind;

    /// <summary>The host key the server presented, when the handshake got that far.</summary>
    public string? HostKeyFingerprint { get; } = hostKeyFingerprint;
}
