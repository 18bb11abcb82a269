namespace OpsConductor.Notifications;

/// <summary>The SMTP settings as <c>GET /notifications/smtp</c> shows them: the password never, only whether one is set.</summary>
public sealed record SmtpSettingsDto(bool Configured, string Host, int Port, SmtpSecurity Security, string? Username, bool PasswordSet,
    string FromAddress, string FromName, bool AllowInvalidCertificate, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>
/// <c>PUT /notifications/smtp</c>. <see cref="Password"/> is write-only: absent or null keeps the stored one, "" removes
/// it, any other value replaces it. Without a <see cref="Username"/> no authentication is attempted.
/// </summary>
public sealed record SmtpSettingsRequest(string? Host, int? Port, SmtpSecurity? Security, string? Username, string? Password, string? FromAddress,
    string? FromName, bool AllowInvalidCertificate = false);

public sealed record SmtpTestRequest(string? To);

/// <summary>A test send: <see cref="ServerResponse"/> is what the server answered on success, <see cref="Error"/> why it failed (its text where it gave one).</summary>
public sealed record SmtpTestResult(bool Success, string? ServerResponse, string? Error);
