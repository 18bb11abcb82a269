namespace OpsConductor.Executor.Sessions;

/// <summary>Why a session on a target could not be opened, whatever the protocol.</summary>
public enum TargetConnectFailure
{
    Unreachable,
    AuthFailed,
    HostKeyMismatch,
    HostKeyUnconfirmed,

    /// <summary>WinRM over HTTPS: the certificate failed verification or did not match the pinned thumbprint.</summary>
    CertificateRejected,

    /// <summary>The settings would send a secret in the clear (Basic over HTTP); refused before connecting.</summary>
    InsecureRefused,

    /// <summary>The peer answered with something that is not the protocol.</summary>
    ProtocolError,
}
