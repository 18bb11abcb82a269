using System.Net;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// A WinRM login: <c>user</c> with <see cref="Domain"/>, or <c>DOMAIN\user</c>, or <c>user@domain</c> in
/// <see cref="Username"/>. Basic is only ever sent over HTTPS.
/// </summary>
public sealed record WinRmCredential(string Username, string? Domain, string Password, WinRmAuthentication Authentication)
{
    /// <summary>
    /// The NTLM login: <c>DOMAIN\user</c> splits into domain and user; <c>user@domain</c> (a UPN) goes whole with no
    /// domain, as NTLM allows; a plain user name takes <see cref="Domain"/> (empty: the target's local accounts).
    /// </summary>
    public NetworkCredential ToNetworkCredential()
    {
        var user = Username;
        var domain = Domain ?? "";
        var slash = user.IndexOf('\\');
        if (slash > 0)
        {
            domain = user[..slash];
            user = user[(slash + 1)..];
        }
        else if (user.Contains('@'))
        {
            domain = "";
        }
        return new NetworkCredential(user, Password, domain);
    }

    // Never print the password, not even in a log line or an exception message.
    public override string ToString() => $"WinRmCredential {{ Username = {Username}, Domain = {Domain}, Authentication = {Authentication} }}";
}
