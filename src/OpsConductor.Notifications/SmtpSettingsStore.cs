using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Notifications;

/// <summary>The SMTP settings: stored with the password sealed by the credentials service (<see cref="ISecretSealer"/>), tested on demand.</summary>
public sealed class SmtpSettingsStore(NotificationsDb db, ISecretSealer sealer, NotificationsOptions options, TimeProvider clock)
{
    /// <summary>Bound into the sealed password: it unseals for this purpose only.</summary>
    public const string PasswordPurpose = "notifications/smtp-password";

    public async Task<SmtpSettingsDto> GetAsync(CancellationToken ct) =>
        await db.Smtp.AsNoTracking().FirstOrDefaultAsync(ct) is { } row
            ? new SmtpSettingsDto(true, row.Host, row.Port, row.Security, row.Username, row.SealedPassword is not null, row.FromAddress, row.FromName,
                row.AllowInvalidCertificate, row.UpdatedAt, row.UpdatedBy)
            : new SmtpSettingsDto(false, "", 587, SmtpSecurity.Starttls, null, false, "", "OpsConductor", false, null, null);

    public async Task<Outcome<SmtpSettingsDto>> PutAsync(SmtpSettingsRequest request, string updatedBy, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("host", request.Host, "host", 255);
        if (request.Host is { } host && host.Any(char.IsWhiteSpace))
        {
            errors.Add("host", "host must be a host name or address without spaces.");
        }
        if (request.Port is not { } port || port is < 1 or > 65535)
        {
            errors.Add("port", "port must be between 1 and 65535 (587 for STARTTLS, 465 for TLS, 25 for plain SMTP).");
        }
        if (request.Security is null)
        {
            errors.Add("security", "security is required: none, starttls or tls.");
        }
        if (!EmailAddresses.IsValid(request.FromAddress))
        {
            errors.Add("fromAddress", "fromAddress must be an email address.");
        }
        errors.MaxLength("fromName", request.FromName, "fromName", 200);
        errors.MaxLength("username", request.Username, "username", 255);
        errors.MaxLength("password", request.Password, "password", 1000);
        if (!errors.IsValid)
        {
            return new Outcome<SmtpSettingsDto>.Invalid(errors);
        }
        var row = await db.Smtp.FirstOrDefaultAsync(ct);
        if (row is null)
        {
            row = new SmtpSettingsRow { Host = "", FromAddress = "" };
            db.Smtp.Add(row);
        }
        row.Host = request.Host!.Trim();
        row.Port = request.Port!.Value;
        row.Security = request.Security!.Value;
        row.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username;
        row.FromAddress = request.FromAddress!;
        row.FromName = request.FromName ?? "";
        row.AllowInvalidCertificate = request.AllowInvalidCertificate;
        if (request.Password is { } password)
        {
            row.SealedPassword = password.Length == 0 ? null : await sealer.SealAsync(PasswordPurpose, password, ct);
        }
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = updatedBy;
        await db.SaveChangesAsync(ct);
        return new Outcome<SmtpSettingsDto>.Success(await GetAsync(ct));
    }

    /// <summary>The settings to connect with, password unsealed; null when no SMTP server is configured.</summary>
    public async Task<SmtpConnection?> ConnectionAsync(CancellationToken ct)
    {
        var row = await db.Smtp.AsNoTracking().FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var password = row.SealedPassword is { } sealedPassword ? await sealer.UnsealAsync(PasswordPurpose, sealedPassword, ct) : null;
        return new SmtpConnection(row.Host, row.Port, row.Security, row.Username, password, row.FromAddress, row.FromName, row.AllowInvalidCertificate);
    }

    public async Task<Outcome<SmtpTestResult>> TestAsync(SmtpTestRequest request, CancellationToken ct)
    {
        if (!EmailAddresses.IsValid(request.To))
        {
            return new Outcome<SmtpTestResult>.Invalid(new ValidationErrors().Add("to", "to must be an email address."));
        }
        SmtpConnection? connection;
        try
        {
            connection = await ConnectionAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Outcome<SmtpTestResult>.Success(new SmtpTestResult(false, null, UnsealFailure));
        }
        if (connection is null)
        {
            return new Outcome<SmtpTestResult>.Conflict("No SMTP server is configured yet: PUT /notifications/smtp first.");
        }
        var message = MailSender.Compose(connection, [request.To!], "OpsConductor test message",
            $"<p>This is a test message from OpsConductor ({System.Net.WebUtility.HtmlEncode(options.PublicUrl)}).</p><p>The SMTP settings work.</p>",
            $"This is a test message from OpsConductor ({options.PublicUrl}).\n\nThe SMTP settings work.\n");
        await using var sender = new MailSender(connection, TimeSpan.FromSeconds(options.SmtpTimeoutSeconds));
        var result = await sender.SendAsync(message, ct);
        return new Outcome<SmtpTestResult>.Success(result.Success
            ? new SmtpTestResult(true, result.Response, null)
            : new SmtpTestResult(false, null, result.Response));
    }

    public const string UnsealFailure =
        "The stored SMTP password cannot be decrypted with the current credentials master key (was the key rotated or replaced?): enter the password again.";
}
