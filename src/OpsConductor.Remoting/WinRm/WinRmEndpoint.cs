namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Where a WinRM listener is: HTTPS (usually 5986) or HTTP (usually 5985, NTLM with message encryption only).
/// With HTTPS the certificate is verified against the system's trust store, or, when a thumbprint is given,
/// must be exactly that certificate (SHA-1 or SHA-256 hex, as Windows shows it). There is no "ignore errors".
/// </summary>
public sealed record WinRmEndpoint(string Host, int Port, bool UseHttps, string? CertificateThumbprint = null)
{
    public Uri Uri => new UriBuilder(UseHttps ? "https" : "http", Host, Port, "wsman").Uri;
}
