namespace OpsConductor.Targets;

/// <param name="CertificateThumbprint">
/// SHA-1 (40) or SHA-256 (64) hex digits of the listener's certificate, as Windows shows it; spaces and colons are
/// removed and the letters upper-cased. Only for HTTPS; required when <paramref name="VerifyCertificate"/> is false.
/// </param>
public sealed record WinRmSettingsRequest(bool? UseHttps, bool? VerifyCertificate, string? CertificateThumbprint = null);
