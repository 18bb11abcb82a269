using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// A WinRM login: <c>user</c> with <see cref="Domain"/>, or <c>DOMAIN\user</c>, or <c>user@domain</c> in
/// <see cref="Username"/>. Basic is only ever sent over HTTPS.
/// </summary>
public sealed record WinRmCredential(string Username, string? Domain, string Password, WinRmAuthentication Authentication)
{
    // Never print the password, not even in a log line or an exception message.
    public override string ToString() => $"WinRmCredential {{ Username = {Username}, Domain = {Domain}, Authentication = {Authentication} }}";
}
