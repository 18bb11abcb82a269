namespace OpsConductor.Remoting.WinRm;

public enum WinRmFailureKind
{
    /// <summary>Nothing answered on that address and port, or the connection broke.</summary>
    Unreachable,

    /// <summary>The server refused the credential (HTTP 401 after the handshake, or an access-denied fault).</summary>
    AuthFailed,

    /// <summary>The HTTPS certificate failed verification or did not match the pinned thumbprint; nothing was sent.</summary>
    CertificateRejected,

    /// <summary>The settings would send a secret in the clear (Basic over HTTP); refused before connecting.</summary>
    InsecureRefused,

    /// <summary>The server answered with something that is not WS-Management.</summary>
    ProtocolError,
}
