using System.Net.Sockets;
using System.Text;
using OpsConductor.Shared.Contracts;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace OpsConductor.Remoting.Ssh;

/// <summary>The outcome of a successful connection: the open client and the host key it verified.</summary>
public sealed record SshSession(SshClient Client, string HostKeyFingerprint, HostKeyVerdict HostKeyVerdict) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Opens SSH connections to targets with a decrypted credential. The host key is always checked through the
/// caller's verifier: there is no way to connect without one. A password is only ever sent to a host whose key is
/// pinned: on a first use the handshake stops before authentication, whoever the caller is.
/// </summary>
public sealed class SshConnector(SshOptions? options = null)
{
    readonly SshOptions _options = options ?? SshOptions.Default;

    /// <summary>Connects and authenticates; the fingerprint seen is on the returned session.</summary>
    public async Task<SshSession> ConnectAsync(
        TargetConnection target,
        CredentialSecret secret,
        Func<string, CancellationToken, Task<HostKeyVerdict>> verifyHostKey,
        TimeSpan timeout,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verifyHostKey);
        var info = BuildConnectionInfo(target, secret, timeout);
        var client = new SshClient(info);
        string? fingerprint = null;
        HostKeyVerdict? verdict = null;
        Exception? verifierFailure = null;
        var sendsPassword = info.AuthenticationMethods.Any(m => m is PasswordAuthenticationMethod);
        var unconfirmed = false;
        client.HostKeyReceived += (_, e) =>
        {
            fingerprint = Fingerprint(e);
            try
            {
                // SSH.NET raises this synchronously inside the key exchange; verifiers that already know the pinned
                // key complete at once, others block this connection's thread only briefly (one database call).
                verdict = verifyHostKey(fingerprint, ct).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                verifierFailure = ex;
                verdict = HostKeyVerdict.Mismatch;
            }
            // An unpinned key may belong to anyone who answers on that address: a password would be theirs.
            unconfirmed = sendsPassword && HostKeyPinning.MayConnect(verdict.Value) && !HostKeyPinning.MaySendPassword(verdict.Value);
            e.CanTrust = HostKeyPinning.MayConnect(verdict.Value) && !unconfirmed;
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await ConnectOnOwnThread(client, deadline.Token);
            return new SshSession(client, fingerprint!, verdict!.Value);
        }
        catch (Exception ex)
        {
            client.Dispose();
            if (deadline.IsCancellationRequested && !ct.IsCancellationRequested && verifierFailure is null && ex is not SshAuthenticationException)
            {
                ex = new TimeoutException("The connection deadline passed.", ex); // the client was closed to stop the handshake
            }
            if (verifierFailure is not null)
            {
                throw new SshConnectException(SshFailureKind.HostKeyMismatch,
                    $"The host key of {target.Hostname}:{target.Port} could not be verified.", fingerprint, verifierFailure);
            }
            if (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
            if (unconfirmed)
            {
                throw new SshConnectException(SshFailureKind.HostKeyUnconfirmed,
                    $"The host key of {target.Hostname}:{target.Port} ({fingerprint}) is not confirmed: no password is sent to it "
                    + "until an operator compares this fingerprint with the server's and confirms it.", fingerprint, ex);
            }
            throw Classify(ex, target, fingerprint, verdict, timeout);
        }
    }

    /// <summary>
    /// SSH.NET waits for the key exchange and authentication by blocking the connecting thread (also inside
    /// ConnectAsync). Hundreds of connections opened at once by a run's fan-out blocked as many thread-pool threads,
    /// and the pool adds threads slowly: a cold run of 200 targets took 5.5 s, 2.7 s with the pool pre-grown.
    /// Each handshake gets its own thread instead; the deadline or a cancel closes the client, which ends it.
    /// </summary>
    static Task ConnectOnOwnThread(SshClient client, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.Factory.StartNew(() =>
        {
            var stop = ct.Register(client.Dispose);
            try
            {
                client.Connect();
            }
            finally
            {
                stop.Dispose(); // waits for a close in progress
            }
            ct.ThrowIfCancellationRequested(); // closed just as the handshake ended: not usable
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Runs one command and captures its output and exit code.</summary>
    public static async Task<CommandResult> RunAsync(SshClient client, string commandText, TimeSpan timeout, CancellationToken ct)
    {
        using var command = client.CreateCommand(commandText, Encoding.UTF8);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        await command.ExecuteAsync(deadline.Token);
        return new CommandResult(command.ExitStatus ?? -1, command.Result, command.Error);
    }

    /// <summary>OpenSSH's form: <c>SHA256:</c> and unpadded base64 of the key's SHA-256.</summary>
    public static string Fingerprint(HostKeyEventArgs e) => "SHA256:" + e.FingerPrintSHA256.TrimEnd('=');

    ConnectionInfo BuildConnectionInfo(TargetConnection target, CredentialSecret secret, TimeSpan timeout)
    {
        var username = secret.Username;
        if (string.IsNullOrEmpty(username))
        {
            throw new SshConnectException(SshFailureKind.AuthFailed, "The credential has no username.");
        }
        AuthenticationMethod method = secret.Type switch
        {
            CredentialType.SshKey when !string.IsNullOrEmpty(secret.PrivateKey) =>
                new PrivateKeyAuthenticationMethod(username, LoadPrivateKey(secret.PrivateKey, secret.Passphrase)),
            CredentialType.Password or CredentialType.Winrm when secret.Password is not null =>
                new PasswordAuthenticationMethod(username, secret.Password),
            _ => throw new SshConnectException(SshFailureKind.AuthFailed,
                $"A {secret.Type} credential cannot be used for SSH: use a password or ssh_key credential."),
        };
        var info = new ConnectionInfo(target.Hostname, target.Port, username, method) { Timeout = timeout };
        PreferKeyExchange(info, _options.PreferredKeyExchange);
        return info;
    }

    /// <summary>Parses an OpenSSH or PEM private key; the error never includes key material.</summary>
    public static PrivateKeyFile LoadPrivateKey(string privateKey, string? passphrase)
    {
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(privateKey.Replace("\r\n", "\n")));
            return string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException ex)
        {
            throw new InvalidPrivateKeyException("The private key is encrypted: a passphrase is required.", ex);
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or FormatException or InvalidOperationException
                                       or NotSupportedException or System.Security.Cryptography.CryptographicException or IndexOutOfRangeException)
        {
            throw new InvalidPrivateKeyException(
                "The private key could not be read: it must be an OpenSSH or PEM private key, and the passphrase must match.", ex);
        }
    }

    static void PreferKeyExchange(ConnectionInfo info, IReadOnlyList<string> preferred)
    {
        // The order of this dictionary is the preference order sent to the server; rebuild it from scratch so
        // the preferred algorithms come first whatever the collection type does with removals.
        var all = info.KeyExchangeAlgorithms.ToList();
        var ordered = preferred.SelectMany(name => all.Where(a => a.Key == name))
            .Concat(all.Where(a => !preferred.Contains(a.Key)))
            .ToList();
        info.KeyExchangeAlgorithms.Clear();
        foreach (var (name, factory) in ordered)
        {
            info.KeyExchangeAlgorithms.Add(name, factory);
        }
    }

    static SshConnectException Classify(Exception ex, TargetConnection target, string? fingerprint, HostKeyVerdict? verdict, TimeSpan timeout)
    {
        var where = $"{target.Hostname}:{target.Port}";
        if (verdict == HostKeyVerdict.Mismatch)
        {
            return new SshConnectException(SshFailureKind.HostKeyMismatch,
                $"The host key of {where} ({fingerprint}) does not match the pinned key: refusing to connect.", fingerprint, ex);
        }
        return ex switch
        {
            SshConnectException own => own,
            SshAuthenticationException => new SshConnectException(SshFailureKind.AuthFailed,
                $"Authentication to {where} failed: the server refused the credential.", fingerprint, ex),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
                new SshConnectException(SshFailureKind.Unreachable, $"The host name {target.Hostname} could not be resolved.", fingerprint, ex),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                new SshConnectException(SshFailureKind.Unreachable, $"Connection to {where} was refused.", fingerprint, ex),
            SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } =>
                new SshConnectException(SshFailureKind.Unreachable, $"The connection to {where} was closed during the SSH handshake.", fingerprint, ex),
            SocketException socket => new SshConnectException(SshFailureKind.Unreachable,
                $"Could not connect to {where} ({socket.SocketErrorCode}).", fingerprint, ex),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException => new SshConnectException(SshFailureKind.Unreachable,
                $"Connection to {where} timed out after {timeout.TotalSeconds:0.#} s.", fingerprint, ex),
            SshConnectionException => new SshConnectException(SshFailureKind.Unreachable,
                $"The SSH handshake with {where} failed.", fingerprint, ex),
            _ => new SshConnectException(SshFailureKind.Unreachable, $"Could not connect to {where} ({ex.GetType().Name}).", fingerprint, ex),
        };
    }
}

public sealed class InvalidPrivateKeyException(string message, Exception inner) : Exception(message, inner);
