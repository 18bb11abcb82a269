using System.Text.RegularExpressions;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;

namespace OpsConductor.Targets;

/// <summary>What a target must look like, and how a request becomes one.</summary>
public static partial class TargetRules
{
    public const int MaxTags = 50;

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._:\-\[\]]{0,252})$")]
    private static partial Regex HostnamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._:/=\-]{0,63}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^SHA256:[A-Za-z0-9+/]{43}$")]
    private static partial Regex FingerprintPattern();

    [GeneratedRegex(@"^([0-9A-F]{40}|[0-9A-F]{64})$")]
    private static partial Regex ThumbprintPattern();

    public const int ThumbprintMaxLength = 64;

    public static string NormalizeTag(string tag) => tag.Trim().ToLowerInvariant();

    /// <summary>Whether a normalized tag is well-formed.</summary>
    public static bool IsTag(string normalizedTag) => TagPattern().IsMatch(normalizedTag);

    public static bool IsFingerprint([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? fingerprint) =>
        fingerprint is not null && FingerprintPattern().IsMatch(fingerprint);

    /// <summary>
    /// A certificate thumbprint as Windows and OpenSSL print it, made comparable: upper-case hex with spaces, colons
    /// and the invisible marks the Windows certificate dialog copies along (U+200B, U+200E, U+200F, U+FEFF) removed.
    /// </summary>
    public static string NormalizeThumbprint(string thumbprint) =>
        new(thumbprint.Where(c => !char.IsWhiteSpace(c) && c is not (':' or '\u200B' or '\u200E' or '\u200F' or '\uFEFF')).Select(char.ToUpperInvariant).ToArray());

    /// <summary>SHA-1 (40 hex digits) or SHA-256 (64) once normalized.</summary>
    public static bool IsThumbprint([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? thumbprint) =>
        thumbprint is not null && ThumbprintPattern().IsMatch(NormalizeThumbprint(thumbprint));

    public static int DefaultPort(ConnectionType connection, bool useHttps) =>
        connection == ConnectionType.Ssh ? 22 : useHttps ? 5986 : 5985;

    public static ConnectionType DefaultConnection(OsType os) => os == OsType.Windows ? ConnectionType.Winrm : ConnectionType.Ssh;

    public static async Task<ValidationErrors> ValidateAsync(TargetRequest request, ICredentialDirectory credentials, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name, "Name", 200);
        errors.MaxLength("description", request.Description, "Description", 2000);
        if (string.IsNullOrWhiteSpace(request.Hostname))
        {
            errors.Add("hostname", "Hostname is required.");
        }
        else if (!HostnamePattern().IsMatch(request.Hostname.Trim()))
        {
            errors.Add("hostname", "Hostname must be a DNS name or an IP address.");
        }
        if (request.OsType is null)
        {
            errors.Add("osType", "OS type is required: linux or windows.");
        }
        if (request.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add("port", "Port must be between 1 and 65535.");
        }
        foreach (var tag in request.Tags ?? [])
        {
            if (tag is null || !TagPattern().IsMatch(NormalizeTag(tag)))
            {
                errors.Add("tags", "Tags are 1 to 64 characters: letters, digits and . _ : / = -, starting with a letter or digit.");
                break;
            }
        }
        if (request.Tags is { Count: > MaxTags })
        {
            errors.Add("tags", $"A target has at most {MaxTags} tags.");
        }
        if (request.Ssh?.HostKeyFingerprint is { Length: > 0 } fp && !IsFingerprint(fp.Trim()))
        {
            errors.Add("ssh.hostKeyFingerprint", "The host key fingerprint must be in OpenSSH form: SHA256: and 43 base64 characters.");
        }
        var connection = request.Connection ?? (request.OsType is { } os ? DefaultConnection(os) : (ConnectionType?)null);
        if (request.CredentialId is not { } credentialId)
        {
            errors.Add("credentialId", "A credential is required.");
        }
        else if (await credentials.FindAsync(credentialId, ct) is not { } credential)
        {
            errors.Add("credentialId", $"Credential {credentialId} does not exist.");
        }
        else if (connection == ConnectionType.Ssh && credential.Type is not (CredentialType.Password or CredentialType.SshKey))
        {
            errors.Add("credentialId", "An SSH target needs a password or ssh_key credential.");
        }
        else if (connection == ConnectionType.Winrm && credential.Type is not (CredentialType.Winrm or CredentialType.Password))
        {
            errors.Add("credentialId", "A WinRM target needs a winrm or password credential.");
        }
        else if (connection == ConnectionType.Winrm && !(request.Winrm?.UseHttps ?? false) && UsesBasic(credential))
        {
            errors.Add("credentialId",
                "Over HTTP a WinRM target needs an NTLM credential (NTLM encrypts every message); Basic would send the password "
                + "in the clear. Use HTTPS, or a winrm credential with NTLM authentication.");
        }
        if (connection == ConnectionType.Winrm)
        {
            ValidateWinRm(request.Winrm, errors);
        }
        return errors;
    }

    /// <summary>The same choice <c>WinRmConnector.CredentialOf</c> makes: NTLM unless a winrm credential says Basic.</summary>
    static bool UsesBasic(CredentialInfo credential) =>
        credential.Type == CredentialType.Winrm && credential.WinRmAuthentication == WinRmAuthentication.Basic;

    static void ValidateWinRm(WinRmSettingsRequest? winrm, ValidationErrors errors)
    {
        const string field = "winrm.certificateThumbprint";
        var https = winrm?.UseHttps ?? false;
        var thumbprint = winrm?.CertificateThumbprint is { } raw && !string.IsNullOrWhiteSpace(raw) ? raw : null;
        if (thumbprint is not null && !IsThumbprint(thumbprint))
        {
            errors.Add(field, "The certificate thumbprint must be 40 (SHA-1) or 64 (SHA-256) hexadecimal digits; spaces and colons are allowed.");
        }
        else if (thumbprint is not null && !https)
        {
            errors.Add(field, "A certificate thumbprint pins an HTTPS listener's certificate: turn on HTTPS or leave the thumbprint empty.");
        }
        else if (thumbprint is null && https && winrm?.VerifyCertificate == false)
        {
            errors.Add(field,
                "Without certificate verification a thumbprint is required: the pin is then the only trust (there is no "
                + "\"ignore certificate errors\"). Give the listener's certificate thumbprint, or turn verification on.");
        }
    }

    public static void Apply(Target target, TargetRequest request, DateTimeOffset now)
    {
        target.Hostname = request.Hostname!.Trim();
        target.OsType = request.OsType!.Value;
        target.Connection = request.Connection ?? DefaultConnection(target.OsType);
        target.WinRmUseHttps = request.Winrm?.UseHttps ?? false;
        target.WinRmVerifyCertificate = request.Winrm?.VerifyCertificate ?? true;
        target.WinRmCertificateThumbprint = target.Connection == ConnectionType.Winrm && target.WinRmUseHttps
            && request.Winrm?.CertificateThumbprint is { } thumbprint && !string.IsNullOrWhiteSpace(thumbprint)
                ? NormalizeThumbprint(thumbprint)
                : null;
        target.Port = request.Port ?? DefaultPort(target.Connection, target.WinRmUseHttps);
        target.CredentialId = request.CredentialId!.Value;
        target.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (request.Ssh?.HostKeyFingerprint is { Length: > 0 } fp)
        {
            target.PinnedHostKey = fp.Trim();
            target.HostKeyConfirmed = true;
        }
        var tags = (request.Tags ?? []).Select(NormalizeTag).Distinct().ToHashSet();
        target.Tags.RemoveAll(t => !tags.Contains(t.Tag));
        foreach (var tag in tags.Where(t => target.Tags.All(x => x.Tag != t)))
        {
            target.Tags.Add(new TargetTag { TargetId = target.Id, Tag = tag });
        }
        target.UpdatedAt = now;
    }
}
