using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// The HTTP side of one <see cref="WinRmClient"/>: one keep-alive connection (NTLM is connection-bound), requests one
/// at a time, Basic or NTLM (NegotiateAuthentication, managed NTLM), and on HTTP the SPNEGO session encryption.
/// </summary>
internal sealed class WinRmTransport : IDisposable
{
    const string ManagedNtlmSwitch = "System.Net.Security.UseManagedNtlm";

    readonly WinRmEndpoint _endpoint;
    readonly WinRmCredential _credential;
    readonly WinRmClientOptions _options;
    HttpClient _http;
    readonly SemaphoreSlim _gate = new(1, 1);
    NegotiateAuthentication? _ntlm;
    bool _certificateRejected;
    bool _broken;
    bool _failedForGood;
    bool _disposed;

    static WinRmTransport()
    {
        // The host and test projects set this switch in their csproj; a library user who forgot still gets the
        // managed NTLM (no gss-ntlmssp needed), unless they chose otherwise explicitly.
        if (!AppContext.TryGetSwitch(ManagedNtlmSwitch, out _))
        {
            AppContext.SetSwitch(ManagedNtlmSwitch, true);
        }
    }

    public WinRmTransport(WinRmEndpoint endpoint, WinRmCredential credential, WinRmClientOptions options)
    {
        _endpoint = endpoint;
        _credential = credential;
        _options = options;
        Uri = endpoint.Uri;
        _http = NewHttpClient();
    }

    HttpClient NewHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (_endpoint.UseHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = _endpoint.Host,
                RemoteCertificateValidationCallback = ValidateCertificate,
            };
        }
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Uri { get; }

    /// <summary>False after a failure that another request would repeat (refused login, certificate, unreachable, unreadable answer) or dispose.</summary>
    public bool IsUsable => !_broken && !_disposed;

    /// <summary>Whether another request can still be tried (for the best-effort signal and delete after an error or cancel).</summary>
    public bool CanSend => !_disposed && !_failedForGood;

    /// <summary>Whether requests are sealed (HTTP with NTLM).</summary>
    bool Encrypting => !_endpoint.UseHttps;

    /// <summary>Authenticates: the NTLM handshake on an empty POST, or an authenticated Identify with Basic.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        if (_credential.Authentication == WinRmAuthentication.Basic && !_endpoint.UseHttps)
        {
            throw new WinRmConnectException(WinRmFailureKind.InsecureRefused,
                "Basic authentication over plain HTTP would send the password in the clear; use HTTPS (port 5986) or NTLM.");
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // Connect and TLS, then the NTLM round trips (or the Identify): twice the connect budget in all.
            timeout.CancelAfter(_options.ConnectTimeout * 2);
            try
            {
                if (_credential.Authentication == WinRmAuthentication.Ntlm)
                {
                    await HandshakeAsync(timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    var body = WsManEnvelope.ToBytes(WsManEnvelope.Identify());
                    using var response = await PostAsync(body, WsManNames.SoapContentType, BasicHeader(), timeout.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        throw AuthFailed();
                    }
                    var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    // Any SOAP answer (even a fault: Identify may be switched off) proves the login was accepted.
                    WsManResponse.Load(bytes);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                _broken = true;
                throw new WinRmConnectException(WinRmFailureKind.Unreachable, $"Connecting to {_endpoint.Host}:{_endpoint.Port} timed out.");
            }
            catch (WinRmConnectException)
            {
                _broken = true;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends one envelope and returns the parsed answer; faults are thrown as <see cref="WinRmFaultException"/>.</summary>
    public async Task<XDocument> SendAsync(XDocument envelope, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var plain = WsManEnvelope.ToBytes(envelope);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_failedForGood)
            {
                throw new WinRmConnectException(WinRmFailureKind.AuthFailed, $"The connection to {_endpoint.Host}:{_endpoint.Port} was refused before; not trying again.");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.OperationTimeout + _options.ConnectTimeout + TimeSpan.FromSeconds(5));
            try
            {
                return await SendLockedAsync(plain, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                _broken = true;
                Reset();
                throw new WinRmConnectException(WinRmFailureKind.Unreachable, $"{_endpoint.Host}:{_endpoint.Port} did not answer in time.");
            }
            catch (OperationCanceledException)
            {
                // A request cut off midway (a long-polling Receive on cancel) leaves the connection and the NTLM
                // sequence numbers in an unknown state: the next request (terminate, delete) opens a new connection
                // and authenticates again.
                Reset();
                throw;
            }
            catch (WinRmConnectException e)
            {
                _broken = true;
                if (e.Kind is WinRmFailureKind.Unreachable or WinRmFailureKind.ProtocolError)
                {
                    Reset();
                }
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<XDocument> SendLockedAsync(byte[] plain, CancellationToken ct)
    {
        HttpResponseMessage response;
        if (_credential.Authentication == WinRmAuthentication.Basic)
        {
            response = await PostAsync(plain, WsManNames.SoapContentType, BasicHeader(), ct).ConfigureAwait(false);
        }
        else
        {
            var reused = _ntlm is { IsAuthenticated: true };
            response = await PostNtlmAsync(plain, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && reused)
            {
                // The authenticated connection went away (the server's or our idle timeout, a reset) and the
                // request went out on a new one, which has no NTLM session yet: the server refused it unread.
                // Authenticate the new connection and send the request once more; a second 401 is final.
                response.Dispose();
                Reset();
                response = await PostNtlmAsync(plain, ct).ConfigureAwait(false);
            }
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw AuthFailed();
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var contentType = response.Content.Headers.ContentType?.ToString();
            if (SpnegoEncryptedMessage.IsEncrypted(contentType))
            {
                if (_ntlm is null || !_ntlm.IsAuthenticated)
                {
                    throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The server sent an encrypted answer without an authenticated session.");
                }
                bytes = SpnegoEncryptedMessage.Decrypt(_ntlm, bytes);
            }
            else if (Encrypting && bytes.Length > 0)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError,
                    $"The server answered HTTP {(int)response.StatusCode} unencrypted on an encrypted session.");
            }
            if (bytes.Length == 0)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"The server answered HTTP {(int)response.StatusCode} with no body.");
            }
            XDocument document;
            try
            {
                document = WsManResponse.Load(bytes);
            }
            catch (WinRmConnectException e)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"The server answered HTTP {(int)response.StatusCode} with something that is not WS-Management.", e);
            }
            WsManResponse.ThrowIfFault(document);
            if (!response.IsSuccessStatusCode)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"The server answered HTTP {(int)response.StatusCode} without a SOAP fault.");
            }
            return document;
        }
    }

    async Task<HttpResponseMessage> PostNtlmAsync(byte[] plain, CancellationToken ct)
    {
        if (_ntlm is null || !_ntlm.IsAuthenticated)
        {
            await HandshakeAsync(ct).ConfigureAwait(false);
        }
        return Encrypting
            ? await PostAsync(SpnegoEncryptedMessage.Encrypt(_ntlm!, plain), SpnegoEncryptedMessage.ContentType, null, ct).ConfigureAwait(false)
            : await PostAsync(plain, WsManNames.SoapContentType, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// NTLM over the "Negotiate" scheme with raw NTLM tokens (as pywinrm/requests-ntlm do; WinRM accepts it):
    /// NEGOTIATE on an empty POST, the server's CHALLENGE in WWW-Authenticate, AUTHENTICATE on a second empty POST.
    /// </summary>
    async Task HandshakeAsync(CancellationToken ct)
    {
        _ntlm?.Dispose();
        _ntlm = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = "NTLM",
            Credential = _credential.ToNetworkCredential(),
            TargetName = "HTTP/" + _endpoint.Host,
            RequiredProtectionLevel = Encrypting ? ProtectionLevel.EncryptAndSign : ProtectionLevel.None,
            AllowedImpersonationLevel = System.Security.Principal.TokenImpersonationLevel.Identification,
        });
        var token = _ntlm.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out var status);
        if (token is null || status is not NegotiateAuthenticationStatusCode.ContinueNeeded)
        {
            throw new WinRmConnectException(WinRmFailureKind.AuthFailed, $"The NTLM negotiation could not start ({status}).");
        }
        for (var round = 0; round < 4; round++)
        {
            using var response = await PostAsync([], null, new AuthenticationHeaderValue("Negotiate", Convert.ToBase64String(token)), ct).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (_ntlm.IsAuthenticated)
            {
                // The AUTHENTICATE message went out; the server answers 200 when it accepted it.
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw AuthFailed();
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"The server answered the NTLM handshake with HTTP {(int)response.StatusCode}.");
                }
                return;
            }
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError,
                    $"The server answered the NTLM negotiation with HTTP {(int)response.StatusCode} instead of a challenge.");
            }
            var challenge = ChallengeOf(response);
            if (challenge is null)
            {
                throw new WinRmConnectException(WinRmFailureKind.AuthFailed,
                    "The server offered no NTLM (Negotiate) challenge; is NTLM enabled on the listener?");
            }
            token = _ntlm.GetOutgoingBlob(challenge, out status);
            if (status is not (NegotiateAuthenticationStatusCode.Completed or NegotiateAuthenticationStatusCode.ContinueNeeded) || token is null)
            {
                throw new WinRmConnectException(WinRmFailureKind.AuthFailed, $"The server's NTLM challenge was not accepted ({status}).");
            }
        }
        throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The NTLM handshake did not finish.");
    }

    static byte[]? ChallengeOf(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            if ((header.Scheme.Equals("Negotiate", StringComparison.OrdinalIgnoreCase) || header.Scheme.Equals("NTLM", StringComparison.OrdinalIgnoreCase))
                && !string.IsNullOrEmpty(header.Parameter))
            {
                try
                {
                    return Convert.FromBase64String(header.Parameter);
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    AuthenticationHeaderValue BasicHeader()
    {
        // The user name as given: DOMAIN\user and user@domain pass through; a separate domain field is joined in.
        var user = _credential.Username;
        if (!string.IsNullOrEmpty(_credential.Domain) && !user.Contains('\\') && !user.Contains('@'))
        {
            user = _credential.Domain + "\\" + user;
        }
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + _credential.Password)));
    }

    async Task<HttpResponseMessage> PostAsync(byte[] body, string? contentType, AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = authorization;
        request.Headers.UserAgent.ParseAdd("OpsConductor-WinRM/1.0");
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        request.Content = content;
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (_certificateRejected || e.InnerException is AuthenticationException)
        {
            _broken = true;
            _failedForGood = true;
            throw new WinRmConnectException(WinRmFailureKind.CertificateRejected,
                _endpoint.CertificateThumbprint is null
                    ? $"The HTTPS certificate of {_endpoint.Host}:{_endpoint.Port} failed verification; pin its thumbprint on the target or install a trusted certificate."
                    : $"The HTTPS certificate of {_endpoint.Host}:{_endpoint.Port} is not the pinned one; nothing was sent.", e);
        }
        catch (HttpRequestException e)
        {
            _broken = true;
            var why = e.InnerException is SocketException se ? se.SocketErrorCode.ToString() : e.HttpRequestError.ToString();
            throw new WinRmConnectException(WinRmFailureKind.Unreachable, $"{_endpoint.Host}:{_endpoint.Port} is unreachable ({why}).", e);
        }
    }

    bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        bool ok;
        if (_endpoint.CertificateThumbprint is { } pinned)
        {
            ok = certificate is not null && ThumbprintMatches(certificate, pinned);
        }
        else
        {
            ok = errors == SslPolicyErrors.None;
        }
        if (!ok)
        {
            _certificateRejected = true;
        }
        return ok;
    }

    /// <summary>SHA-1 or SHA-256 hex of the DER certificate, ignoring case, spaces and colons.</summary>
    internal static bool ThumbprintMatches(X509Certificate certificate, string pinned)
    {
        var normalized = new string(pinned.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        if (normalized.Length == 0 || normalized.Length != pinned.Count(c => !char.IsWhiteSpace(c) && c != ':' && c != '-'))
        {
            return false;
        }
        var der = certificate.GetRawCertData();
        var expected = normalized.Length switch
        {
            40 => Convert.ToHexString(SHA1.HashData(der)),
            64 => Convert.ToHexString(SHA256.HashData(der)),
            _ => null,
        };
        return expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(normalized));
    }

    /// <summary>A new connection (new handler, new pool) and a new NTLM context for the next request.</summary>
    void Reset()
    {
        if (_disposed)
        {
            return;
        }
        var old = _http;
        _http = NewHttpClient();
        old.Dispose();
        _ntlm?.Dispose();
        _ntlm = null;
    }

    WinRmConnectException AuthFailed()
    {
        _broken = true;
        _failedForGood = true;
        return new WinRmConnectException(WinRmFailureKind.AuthFailed,
            $"{_endpoint.Host}:{_endpoint.Port} refused the login of {_credential.Username} ({_credential.Authentication}).");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _http.Dispose();
        _ntlm?.Dispose();
    }
}
