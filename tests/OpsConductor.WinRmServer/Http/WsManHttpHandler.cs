using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using OpsConductor.Remoting.WinRm;
using OpsConductor.WinRmServer.Ntlm;
using OpsConductor.WinRmServer.Shells;
using OpsConductor.WinRmServer.Soap;

namespace OpsConductor.WinRmServer.Http;

/// <summary>
/// POST /wsman: authentication as Windows does it (Basic only over HTTPS; NTLM in the Negotiate scheme, bound to
/// the TCP connection), message encryption over HTTP (unencrypted bodies refused there), then the shell resource.
/// </summary>
public sealed class WsManHttpHandler(WinRmTestServerOptions options, ShellService shells)
{
    static readonly object StateKey = new();

    readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>The last requests, "scheme action -> HTTP status", oldest first (for test failure messages).</summary>
    public IReadOnlyList<string> RecentRequests => [.. _log];

    void Log(HttpContext context, string what)
    {
        _log.Enqueue($"{context.Request.Scheme} {context.Connection.Id} {what} -> {context.Response.StatusCode}");
        while (_log.Count > 50 && _log.TryDequeue(out _))
        {
        }
    }

    /// <summary>Why the last login failed (for tests; never a secret).</summary>
    public string? LastAuthFailure { get; private set; }

    public async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !string.Equals(context.Request.Path, WsManNames.Path, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = context.Request.Path.Equals(WsManNames.Path, StringComparison.OrdinalIgnoreCase) ? 405 : 404;
            return;
        }
        var state = StateOf(context);
        var https = context.Request.IsHttps;
        var body = await ReadBodyAsync(context.Request);

        string? user = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            var space = authorization.IndexOf(' ');
            var scheme = space < 0 ? authorization : authorization[..space];
            var token = space < 0 ? "" : authorization[(space + 1)..].Trim();
            if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                state.Session = null;
                user = https ? CheckBasic(token) : null;
                if (!https)
                {
                    LastAuthFailure = "Basic over plain HTTP is refused";
                }
                if (user is null)
                {
                    await ChallengeAsync(context, null);
                    return;
                }
            }
            else if (scheme.Equals("Negotiate", StringComparison.OrdinalIgnoreCase) || scheme.Equals("NTLM", StringComparison.OrdinalIgnoreCase))
            {
                byte[] message;
                try
                {
                    message = Convert.FromBase64String(token);
                }
                catch (FormatException)
                {
                    message = [];
                }
                switch (NtlmAcceptor.MessageType(message))
                {
                    case 1:
                        state.Session = null;
                        state.Handshake = new NtlmAcceptor(options.Users, options.Names, options.Time);
                        var challenge = state.Handshake.Challenge(message);
                        await ChallengeAsync(context, challenge is null ? null : $"{scheme} {Convert.ToBase64String(challenge)}");
                        return;
                    case 3 when state.Handshake is { } handshake:
                        state.Handshake = null;
                        state.Session = handshake.Authenticate(message);
                        if (state.Session is null)
                        {
                            LastAuthFailure = handshake.Failure;
                            await ChallengeAsync(context, null);
                            return;
                        }
                        break;
                    default:
                        // SPNEGO-wrapped or Kerberos tokens: only raw NTLM is spoken here.
                        state.Session = null;
                        state.Handshake = null;
                        LastAuthFailure = "the Negotiate token is not a raw NTLM message in sequence";
                        await ChallengeAsync(context, null);
                        return;
                }
            }
            else
            {
                LastAuthFailure = $"unsupported scheme {scheme}";
                await ChallengeAsync(context, null);
                return;
            }
        }

        var session = state.Session;
        if (user is null && session is null)
        {
            await ChallengeAsync(context, null);
            return;
        }
        user ??= session!.User;

        var encrypted = SpnegoEncryptedMessage.IsEncrypted(context.Request.ContentType);
        byte[] soap;
        if (encrypted)
        {
            if (session is null || Decrypt(session, body) is not { } plain)
            {
                // A body sealed for another session, or tampered with: Windows drops the login.
                state.Session = null;
                LastAuthFailure = "the encrypted body did not verify";
                await ChallengeAsync(context, null);
                return;
            }
            soap = plain;
        }
        else
        {
            soap = body;
            if (!https && soap.Length > 0)
            {
                await WriteAsync(context, WsManReply.Fault(WsManFault.UnencryptedRefused(), null, options.Names.DnsComputer), null);
                return;
            }
        }
        if (soap.Length == 0)
        {
            // pywinrm's "empty message to set up the security context": authenticated, nothing to do.
            context.Response.StatusCode = 200;
            return;
        }

        var (request, fault) = WsManRequest.Parse(soap);
        try
        {
            var reply = request is null
                ? WsManReply.Fault(fault!, null, options.Names.DnsComputer)
                : await shells.HandleAsync(request, user, AddressOf(context), context.RequestAborted);
            await WriteAsync(context, reply, encrypted ? session : null);
        }
        finally
        {
            Log(context, request?.Action[(request.Action.LastIndexOf('/') + 1)..] ?? "malformed");
        }
    }

    static ConnectionState StateOf(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items
            ?? throw new InvalidOperationException("Kestrel exposes no connection items: NTLM needs per-connection state");
        if (items.TryGetValue(StateKey, out var existing) && existing is ConnectionState state)
        {
            return state;
        }
        state = new ConnectionState();
        items[StateKey] = state;
        return state;
    }

    static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    static Uri AddressOf(HttpContext context) =>
        new UriBuilder(context.Request.Scheme, context.Request.Host.Host, context.Request.Host.Port ?? 0, WsManNames.Path).Uri;

    static byte[]? Decrypt(NtlmSession session, byte[] body)
    {
        IReadOnlyList<SpnegoEncryptedPart> parts;
        try
        {
            parts = SpnegoEncryptedMessage.Parse(body);
        }
        catch (WinRmConnectException)
        {
            return null;
        }
        using var plain = new MemoryStream();
        foreach (var part in parts)
        {
            if (session.Unwrap(part.Sealed, part.Signature) is not { } message || message.Length != part.OriginalLength)
            {
                return null;
            }
            plain.Write(message);
        }
        return plain.ToArray();
    }

    string? CheckBasic(string token)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            LastAuthFailure = "malformed Basic credentials";
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            LastAuthFailure = "malformed Basic credentials";
            return null;
        }
        var (name, domain) = SplitAccount(decoded[..colon]);
        var password = Encoding.UTF8.GetBytes(decoded[(colon + 1)..]);
        foreach (var candidate in options.Users)
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase)
                && NtlmAcceptor.DomainMatches(candidate, domain, options.Names)
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate.Password), password))
            {
                return candidate.Name;
            }
        }
        LastAuthFailure = $"unknown user or wrong password for '{name}'";
        return null;
    }

    /// <summary><c>DOMAIN\user</c>, <c>user@domain</c> or a bare user name.</summary>
    static (string Name, string Domain) SplitAccount(string account)
    {
        var slash = account.IndexOf('\\');
        if (slash >= 0)
        {
            return (account[(slash + 1)..], account[..slash]);
        }
        var at = account.LastIndexOf('@');
        return at > 0 ? (account[..at], account[(at + 1)..]) : (account, "");
    }

    /// <summary>401 with the schemes Windows offers: Negotiate, and Basic only on HTTPS.</summary>
    async Task ChallengeAsync(HttpContext context, string? negotiateToken)
    {
        context.Response.StatusCode = 401;
        if (negotiateToken is not null)
        {
            context.Response.Headers.Append("WWW-Authenticate", negotiateToken);
        }
        else
        {
            context.Response.Headers.Append("WWW-Authenticate", "Negotiate");
            if (context.Request.IsHttps)
            {
                context.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"WSMAN\"");
            }
        }
        context.Response.ContentLength = 0;
        Log(context, negotiateToken is null ? "401 challenge" : "401 NTLM challenge");
        await Task.CompletedTask;
    }

    static async Task WriteAsync(HttpContext context, WsManReply reply, NtlmSession? seal)
    {
        var bytes = reply.ToBytes();
        context.Response.StatusCode = reply.HttpStatus;
        if (seal is not null)
        {
            var (sealedBytes, signature) = seal.Wrap(bytes);
            bytes = SpnegoEncryptedMessage.Build(signature, sealedBytes, bytes.Length);
            context.Response.ContentType = SpnegoEncryptedMessage.ContentType;
        }
        else
        {
            context.Response.ContentType = WsManNames.SoapContentType;
        }
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
