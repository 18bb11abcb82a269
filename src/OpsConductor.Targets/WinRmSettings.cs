namespace OpsConductor.Targets;

/// <param name="CertificateThumbprint">
/// The pinned HTTPS certificate (SHA-1 or SHA-256 hex, upper-case, no separators); required when
/// <paramref name="VerifyCertificate"/> is off, since without verification the pin is the trust.
/// </param>
public sealed record WinRmSettings(bool UseHttps, bool VerifyCertificate, string? CertificateThumbprint = null);
