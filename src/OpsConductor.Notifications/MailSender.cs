using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace OpsConductor.Notifications;

/// <summary>SMTP settings with the password unsealed: lives only in memory, while a message is sent.</summary>
public sealed record SmtpConnection(string Host, int Port, SmtpSecurity Security, string? Username, string? Password, string FromAddress,
    string FromName, bool AllowInvalidCertificate)
{
    // Never print the password, not even by accident in a log line or exception message.
    public override string ToString() => $"SmtpConnection {{ Host = {Host}, Port = {Port}, Security = {Security} }}";
}

/// <summary>
/// What the SMTP server answered to one message, or why it could not be handed over; <see cref="ConnectionFailed"/> when
/// the server could not be reached or the connection broke (not when the server refused the message or a recipient).
/// </summary>
public sealed record SendResult(bool Success, string Response, bool ConnectionFailed = false);

/// <summary>
/// One SMTP connection through MailKit for a round of messages: connected (and authenticated) on first use, reused
/// after a message the server refused, dropped and opened again after a connection error. Certificates are verified
/// unless <see cref="SmtpConnection.AllowInvalidCertificate"/> is set.
/// </summary>
public sealed class MailSender(SmtpConnection settings, TimeSpan timeout) : IAsyncDisposable
{
    SmtpClient? _client;

    public static MimeMessage Compose(SmtpConnection settings, IReadOnlyList<string> to, string subject, string html, string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }
        message.Subject = subject;
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        return message;
    }

    public async Task<SendResult> SendAsync(MimeMessage message, CancellationToken ct)
    {
        try
        {
            var client = await ConnectAsync(ct);
            var answer = await client.SendAsync(message, ct);
            return new SendResult(true, string.IsNullOrWhiteSpace(answer) ? "accepted" : answer.Trim());
        }
        catch (SmtpCommandException ex)
        {
            // The server refused this message (or a recipient); the connection stays usable for the next one.
            return new SendResult(false, $"The SMTP server refused the message: {(int)ex.StatusCode} {ex.Message}".Trim());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await DropAsync();
            return new SendResult(false, Describe(ex, settings), ConnectionFailed: true);
        }
    }

    async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }
        await DropAsync();
        var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds, CheckCertificateRevocation = false };
        if (settings.AllowInvalidCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }
        _client = client;
        var security = settings.Security switch
        {
            SmtpSecurity.Starttls => SecureSocketOptions.StartTls,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
        }
        return client;
    }

    async Task DropAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                }
            }
            catch (Exception)
            {
                // Already broken: nothing to close politely.
            }
            client.Dispose();
        }
    }

    /// <summary>The failure in words an admin can act on; the server's own text where there is one, never the password.</summary>
    public static string Describe(Exception ex, SmtpConnection settings) => ex switch
    {
        AuthenticationException auth => $"Authentication as {settings.Username} failed: {auth.Message}",
        SmtpCommandException command => $"The SMTP server answered {(int)command.StatusCode}: {command.Message}",
        SmtpProtocolException protocol => $"SMTP protocol error: {protocol.Message}",
        SslHandshakeException => settings.AllowInvalidCertificate
            ? $"The TLS handshake with {settings.Host}:{settings.Port} failed (is the security setting right for this port?)."
            : $"The TLS handshake with {settings.Host}:{settings.Port} failed: the server's certificate is not trusted, or the port does not speak TLS. " +
              "Use a certificate the host trusts, or set allowInvalidCertificate for a self-signed test server.",
        NotSupportedException notSupported when settings.Security == SmtpSecurity.Starttls =>
            $"The SMTP server does not offer STARTTLS: {notSupported.Message}",
        SocketException socket => $"Cannot connect to {settings.Host}:{settings.Port}: {socket.Message}",
        TimeoutException or OperationCanceledException => $"The SMTP server {settings.Host}:{settings.Port} did not answer in time.",
        IOException io => $"The connection to {settings.Host}:{settings.Port} failed: {io.Message}",
        ServiceNotConnectedException => $"The connection to {settings.Host}:{settings.Port} closed.",
        _ => $"Sending failed: {ex.GetType().Name}: {ex.Message}",
    };

    public async ValueTask DisposeAsync() => await DropAsync();
}
