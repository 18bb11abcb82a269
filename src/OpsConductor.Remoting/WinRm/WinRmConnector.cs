using System.Text;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Opens WinRM clients to targets with a decrypted credential, and runs one PowerShell script to the end. The one
/// place that turns a <see cref="TargetConnection"/> and a <see cref="CredentialSecret"/> into an endpoint and a
/// login, shared by the executor's sessions and the targets' checks.
/// </summary>
public sealed class WinRmConnector(WinRmClientOptions? options = null)
{
    /// <summary>How long the terminate signal and the delete may take after a timeout or cancel.</summary>
    static readonly TimeSpan CleanupBudget = TimeSpan.FromSeconds(10);

    public WinRmClientOptions Options { get; } = options ?? WinRmClientOptions.Default;

    /// <summary>HTTPS or HTTP, the target's port, and its pinned thumbprint; verification is never switched off.</summary>
    public static WinRmEndpoint EndpointOf(TargetConnection target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var thumbprint = string.IsNullOrWhiteSpace(target.WinRmCertificateThumbprint) ? null : target.WinRmCertificateThumbprint.Trim();
        var port = target.Port > 0 ? target.Port : target.WinRmUseHttps ? 5986 : 5985;
        return new WinRmEndpoint(target.Hostname, port, target.WinRmUseHttps, thumbprint);
    }

    /// <summary>The credential's username, domain, password and Basic/NTLM choice (NTLM when none is stored).</summary>
    public static WinRmCredential CredentialOf(CredentialSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(secret.Username) || secret.Password is null)
        {
            throw new WinRmConnectException(WinRmFailureKind.AuthFailed,
                $"Credential {secret.CredentialId} has no username and password, which WinRM needs.");
        }
        var domain = string.IsNullOrWhiteSpace(secret.Domain) ? null : secret.Domain.Trim();
        return new WinRmCredential(secret.Username, domain, secret.Password, secret.WinRmAuthentication ?? WinRmAuthentication.Ntlm);
    }

    /// <summary>Connects and authenticates; throws <see cref="WinRmConnectException"/>.</summary>
    public async Task<WinRmClient> ConnectAsync(TargetConnection target, CredentialSecret secret, TimeSpan timeout, CancellationToken ct)
    {
        var endpoint = EndpointOf(target);
        var credential = CredentialOf(secret);
        var options = timeout > TimeSpan.Zero && timeout < Options.ConnectTimeout ? Options with { ConnectTimeout = timeout } : Options;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > TimeSpan.Zero)
        {
            limit.CancelAfter(timeout);
        }
        try
        {
            return await WinRmClient.ConnectAsync(endpoint, credential, options, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new WinRmConnectException(WinRmFailureKind.Unreachable, $"Connecting to {endpoint.Host}:{endpoint.Port} timed out after {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> as <c>powershell.exe -NoProfile -NonInteractive -EncodedCommand</c> in a new
    /// shell that is deleted afterwards, and collects its output (CLIXML stderr decoded) and exit code.
    /// Scripts too long for the command line go through stdin (<see cref="PowerShellCommand.For"/>). On timeout the
    /// command gets the terminate signal, the shell is deleted and <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public static async Task<WinRmScriptResult> RunPowerShellAsync(WinRmClient client, string script, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(script);
        var powershell = PowerShellCommand.For(script);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(timeout);
        }
        WinRmShell? shell = null;
        WinRmCommand? command = null;
        var done = false;
        try
        {
            shell = await client.CreateShellAsync(WinRmShellOptions.Default, limit.Token).ConfigureAwait(false);
            command = await shell.StartCommandAsync(powershell.Program, powershell.Arguments, limit.Token).ConfigureAwait(false);
            if (powershell.Stdin is { } input)
            {
                await SendAllAsync(command, input, client.Options.MaxEnvelopeSize, limit.Token).ConfigureAwait(false);
            }
            using var stdout = new MemoryStream();
            using var stderr = new MemoryStream();
            int? exitCode;
            while (true)
            {
                var round = await command.ReceiveAsync(limit.Token).ConfigureAwait(false);
                foreach (var chunk in round.Output)
                {
                    (chunk.Stream == OutputStream.Stdout ? stdout : stderr).Write(chunk.Data);
                }
                if (round.Done)
                {
                    exitCode = round.ExitCode;
                    break;
                }
            }
            done = true;
            return new WinRmScriptResult(exitCode ?? 0, Utf8(stdout), Clixml.Decode(Utf8(stderr)));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The PowerShell script did not finish within {timeout.TotalSeconds:0.#} s; it was terminated.");
        }
        finally
        {
            if (command is not null && !done && client.CanSend)
            {
                using var budget = new CancellationTokenSource(CleanupBudget);
                try
                {
                    await command.SignalAsync(WinRmSignal.Terminate, budget.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WinRmFaultException or WinRmConnectException or OperationCanceledException)
                {
                    // Best effort: deleting the shell below ends the command too.
                }
            }
            if (shell is not null)
            {
                await shell.DeleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends stdin in pieces that keep each Send envelope well under MaxEnvelopeSize (base64 grows by 4/3).</summary>
    static async Task SendAllAsync(WinRmCommand command, byte[] input, int maxEnvelopeSize, CancellationToken ct)
    {
        var chunk = Math.Max(1024, (maxEnvelopeSize - 4096) / 4 * 3 / 2);
        for (var at = 0; at < input.Length; at += chunk)
        {
            var length = Math.Min(chunk, input.Length - at);
            await command.SendInputAsync(input.AsMemory(at, length), at + length >= input.Length, ct).ConfigureAwait(false);
        }
        if (input.Length == 0)
        {
            await command.SendInputAsync(ReadOnlyMemory<byte>.Empty, true, ct).ConfigureAwait(false);
        }
    }

    static string Utf8(MemoryStream stream) => Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
}
