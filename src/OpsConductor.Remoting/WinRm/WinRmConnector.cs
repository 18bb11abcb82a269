using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Opens WinRM clients to targets with a decrypted credential, and runs one PowerShell script to the end. The one
/// place that turns a <see cref="TargetConnection"/> and a <see cref="CredentialSecret"/> into an endpoint and a
/// login, shared by the executor's sessions and the targets' checks.
/// </summary>
public sealed class WinRmConnector(WinRmClientOptions? options = null)
{
    public WinRmClientOptions Options { get; } = options ?? WinRmClientOptions.Default;

    /// <summary>HTTPS or HTTP, the target's port, and its pinned thumbprint; verification is never switched off.</summary>
    public static WinRmEndpoint EndpointOf(TargetConnection target) => throw new NotImplementedException();

    /// <summary>The credential's username, domain, password and Basic/NTLM choice (NTLM when none is stored).</summary>
    public static WinRmCredential CredentialOf(CredentialSecret secret) => throw new NotImplementedException();

    /// <summary>Connects and authenticates; throws <see cref="WinRmConnectException"/>.</summary>
    public Task<WinRmClient> ConnectAsync(TargetConnection target, CredentialSecret secret, TimeSpan timeout, CancellationToken ct) =>
        throw new NotImplementedException();

    /// <summary>
    /// Runs <paramref name="script"/> as <c>powershell.exe -NoProfile -NonInteractive -EncodedCommand</c> in a new
    /// shell that is deleted afterwards, and collects its output (CLIXML stderr decoded) and exit code.
    /// </summary>
    public static Task<WinRmScriptResult> RunPowerShellAsync(WinRmClient client, string script, TimeSpan timeout, CancellationToken ct) =>
        throw new NotImplementedException();
}
