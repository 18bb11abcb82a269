using System.Diagnostics;
using OpsConductor.Remoting.Ssh;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

/// <summary>What one connection attempt found out about a target.</summary>
public sealed record CheckOutcome(
    TargetStatus Status,
    bool Reachable,
    int? LatencyMs,
    string? HostKeyFingerprint,
    bool PinHostKey,
    string? Error,
    OsFacts? Os);

public sealed record OsFacts(string? Name, string? Version, string? Kernel);

/// <summary>
/// Connects to a target for real, over SSH or WinRM, and reports reachability, authentication, latency, host key or
/// certificate trust, and OS facts.
/// </summary>
public sealed class TargetChecker(SshConnector connector, WinRmConnector winrm)
{
    const string Separator = "@@opsconductor-uname@@";
    const string DetectOsCommand = "cat /etc/os-release 2>/dev/null; echo '" + Separator + "'; uname -sr 2>/dev/null";

    /// <summary>Checks over the target's connection type.</summary>
    public Task<CheckOutcome> CheckAsync(TargetConnection target, CredentialSecret secret, bool detectOs, TimeSpan timeout, CancellationToken ct) =>
        target.Connection == ConnectionType.Winrm
            ? CheckWinRmAsync(target, secret, detectOs, timeout, ct)
            : CheckSshAsync(target, secret, detectOs, timeout, ct);

    /// <summary>
    /// Connects and authenticates over WinRM (the latency is that handshake), then, with <paramref name="detectOs"/>,
    /// runs <see cref="WinRmOsProbe.Script"/> in one PowerShell call for the OS caption, version and build.
    /// </summary>
    public async Task<CheckOutcome> CheckWinRmAsync(TargetConnection target, CredentialSecret secret, bool detectOs, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        WinRmClient client;
        try
        {
            client = await winrm.ConnectAsync(target, secret, timeout, ct);
        }
        catch (WinRmConnectException ex)
        {
            var status = ex.Kind switch
            {
                WinRmFailureKind.AuthFailed => TargetStatus.AuthFailed,
                // Basic over HTTP (a credential changed after the target was saved): this credential cannot log in here.
                WinRmFailureKind.InsecureRefused => TargetStatus.AuthFailed,
                WinRmFailureKind.CertificateRejected => TargetStatus.CertificateRejected,
                _ => TargetStatus.Unreachable,
            };
            // Refused before connecting (Basic over HTTP) says nothing about the host; a protocol error means something answered.
            var reachable = ex.Kind is WinRmFailureKind.AuthFailed or WinRmFailureKind.CertificateRejected or WinRmFailureKind.ProtocolError;
            var latency = reachable ? (int?)Stopwatch.GetElapsedTime(started).TotalMilliseconds : null;
            return new CheckOutcome(status, reachable, latency, null, false, ex.Message, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The client's own failures are WinRmConnectException; anything else is named by type only (a message could carry a secret).
            return new CheckOutcome(TargetStatus.Unreachable, false, null, null, false, $"Could not connect over WinRM ({ex.GetType().Name}).", null);
        }
        await using (client)
        {
            var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            OsFacts? os = null;
            string? error = null;
            if (detectOs)
            {
                try
                {
                    var result = await WinRmConnector.RunPowerShellAsync(client, WinRmOsProbe.Script, timeout, ct);
                    os = WinRmOsProbe.Parse(result.Stdout);
                    error = os is null ? "Connected, but OS detection failed: the PowerShell call printed no OS facts." : null;
                }
                catch (WinRmFaultException ex)
                {
                    error = $"Connected, but OS detection failed: {ex.Message}";
                }
                catch (TimeoutException)
                {
                    error = $"Connected, but OS detection did not finish within {timeout.TotalSeconds:0.#} s.";
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    error = "Connected, but OS detection failed.";
                }
            }
            return new CheckOutcome(TargetStatus.Healthy, true, latency, null, false, error, os);
        }
    }

    public async Task<CheckOutcome> CheckSshAsync(TargetConnection target, CredentialSecret secret, bool detectOs, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The pinned key is known already, so verification completes without blocking the handshake.
            using var session = await connector.ConnectAsync(target, secret,
                (seen, _) => Task.FromResult(HostKeyPinning.Verify(target.PinnedHostKey, target.HostKeyConfirmed, seen)), timeout, ct);
            var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            OsFacts? os = null;
            string? error = null;
            if (detectOs)
            {
                try
                {
                    var result = await SshConnector.RunAsync(session.Client, DetectOsCommand, timeout, ct);
                    os = ParseOs(result.Stdout);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    error = "Connected, but OS detection failed.";
                }
            }
            session.Client.Disconnect();
            return new CheckOutcome(TargetStatus.Healthy, true, latency, session.HostKeyFingerprint,
                session.HostKeyVerdict == HostKeyVerdict.FirstUse, error, os);
        }
        catch (SshConnectException ex)
        {
            var status = ex.Kind switch
            {
                SshFailureKind.AuthFailed => TargetStatus.AuthFailed,
                SshFailureKind.HostKeyMismatch => TargetStatus.HostKeyMismatch,
                SshFailureKind.HostKeyUnconfirmed => TargetStatus.HostKeyUnconfirmed,
                _ => TargetStatus.Unreachable,
            };
            var latency = ex.Kind == SshFailureKind.Unreachable ? (int?)null : (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new CheckOutcome(status, ex.Kind != SshFailureKind.Unreachable, latency, ex.HostKeyFingerprint, false, ex.Message, null);
        }
    }

    /// <summary>NAME and VERSION_ID from /etc/os-release (PRETTY_NAME when NAME is missing), and <c>uname -sr</c>.</summary>
    public static OsFacts ParseOs(string output)
    {
        var parts = output.Split(Separator);
        var release = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in parts[0].Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                release[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }
        var kernel = parts.Length > 1 ? parts[1].Trim() : null;
        var name = release.GetValueOrDefault("NAME") ?? release.GetValueOrDefault("PRETTY_NAME") ?? kernel?.Split(' ')[0];
        var version = release.GetValueOrDefault("VERSION_ID");
        return new OsFacts(Limit(name, 200), Limit(version, 100), Limit(string.IsNullOrEmpty(kernel) ? null : kernel, 200));
    }

    static string? Limit(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}

/// <summary>Applies a check's outcome to a target; a status change also becomes a history row.</summary>
public static class TargetHealth
{
    public static TargetStatusChange? Apply(Target target, CheckOutcome outcome, DateTimeOffset now)
    {
        target.LastCheckedAt = now;
        target.LastError = outcome.Error is { Length: > 1000 } e ? e[..1000] : outcome.Error;
        if (outcome.LatencyMs is { } latency)
        {
            target.LatencyMs = latency;
        }
        if (outcome.HostKeyFingerprint is { } seen)
        {
            target.LastSeenHostKey = seen;
        }
        // Trust on first use for key credentials, once the key was accepted: a failed login pins nothing.
        if (outcome.PinHostKey && outcome.Status == TargetStatus.Healthy && target.PinnedHostKey is null)
        {
            target.PinnedHostKey = outcome.HostKeyFingerprint;
            target.HostKeyConfirmed = false; // nobody compared it: a password is still never sent to it
        }
        if (outcome.Os is { } os)
        {
            target.OsName = os.Name ?? target.OsName;
            target.OsVersion = os.Version ?? target.OsVersion;
            target.Kernel = os.Kernel ?? target.Kernel;
        }
        return SetStatus(target, outcome.Status, outcome.Error, now);
    }

    public static TargetStatusChange? SetStatus(Target target, TargetStatus status, string? error, DateTimeOffset now)
    {
        if (target.Status == status)
        {
            return null;
        }
        var change = new TargetStatusChange
        {
            TargetId = target.Id,
            Status = status,
            PreviousStatus = target.Status,
            Error = error is { Length: > 1000 } e ? e[..1000] : error,
            ChangedAt = now,
        };
        target.Status = status;
        target.StatusChangedAt = now;
        return change;
    }

    public static TargetConnection ToConnection(Target t) => new(t.Id, t.Name, t.Hostname, t.Port, t.OsType, t.Connection, t.CredentialId,
        t.PinnedHostKey, t.WinRmUseHttps, t.WinRmVerifyCertificate, t.WinRmCertificateThumbprint, t.HostKeyConfirmed, t.Status);
}
