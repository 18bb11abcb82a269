namespace OpsConductor.WinRmServer;

/// <summary>
/// An account the test server accepts. Without a domain it is a local account: the client may send no domain,
/// ".", or the server's computer name, as with a Windows workgroup host. With one, the client's domain must be it.
/// </summary>
public sealed record WinRmTestUser(string Name, string Password, string? Domain = null)
{
    /// <summary>Parses <c>NAME:PASSWORD[@DOMAIN]</c> (the <c>--user</c> option; the last <c>@</c> starts the domain).</summary>
    public static WinRmTestUser Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException("--user takes NAME:PASSWORD[@DOMAIN]");
        }
        var name = value[..colon];
        var rest = value[(colon + 1)..];
        var at = rest.LastIndexOf('@');
        return at < 0 ? new WinRmTestUser(name, rest) : new WinRmTestUser(name, rest[..at], rest[(at + 1)..]);
    }

    public override string ToString() => $"WinRmTestUser {{ Name = {Name}, Domain = {Domain} }}";
}
