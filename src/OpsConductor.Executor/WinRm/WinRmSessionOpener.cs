using OpsConductor.Executor.Sessions;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Executor.WinRm;

/// <summary>Opens WinRM sessions with the shared <see cref="WinRmConnector"/> (certificates verified or pinned, never ignored).</summary>
public sealed class WinRmSessionOpener(WinRmConnector connector, ExecutorOptions options) : ITargetSessionOpener
{
    public ConnectionType Connection => ConnectionType.Winrm;

    public async Task<OpenedSession> OpenAsync(TargetConnection target, CredentialSecret secret,
        Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey, CancellationToken ct)
    {
        try
        {
            var client = await connector.ConnectAsync(target, secret, TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), ct);
            return new OpenedSession(new WinRmTargetSession(client));
        }
        catch (WinRmConnectException ex)
        {
            throw new TargetConnectException(Failure(ex.Kind), ex.Message);
        }
        catch (WinRmFaultException ex)
        {
            throw new TargetConnectException(TargetConnectFailure.ProtocolError, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            throw new TargetConnectException(TargetConnectFailure.Unreachable, $"The WinRM endpoint could not be reached: {ex.HttpRequestError}.");
        }
    }

    public static TargetConnectFailure Failure(WinRmFailureKind kind) => kind switch
    {
        WinRmFailureKind.AuthFailed => TargetConnectFailure.AuthFailed,
        WinRmFailureKind.CertificateRejected => TargetConnectFailure.CertificateRejected,
        WinRmFailureKind.InsecureRefused => TargetConnectFailure.InsecureRefused,
        WinRmFailureKind.ProtocolError => TargetConnectFailure.ProtocolError,
        _ => TargetConnectFailure.Unreachable,
    };
}
