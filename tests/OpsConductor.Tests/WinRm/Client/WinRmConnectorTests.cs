using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Tests.WinRm.Client;

public sealed class WinRmConnectorTests
{
    static TargetConnection Target(int port, bool https, string? thumbprint) =>
        new(1, "win1", "win1.corp.example", port, OsType.Windows, ConnectionType.Winrm, 7, null, https, WinRmVerifyCertificate: true, thumbprint);

    static CredentialSecret Secret(string? user, string? domain, string? password, WinRmAuthentication? auth) =>
        new(7, CredentialType.Winrm, 1, user, domain, password, null, null, null, auth);

    [Fact]
    public void The_endpoint_takes_scheme_port_and_a_trimmed_thumbprint_from_the_target()
    {
        var https = WinRmConnector.EndpointOf(Target(5986, https: true, " AB:CD "));
        var http = WinRmConnector.EndpointOf(Target(5985, https: false, "  "));

        Assert.Equal(new WinRmEndpoint("win1.corp.example", 5986, true, "AB:CD"), https);
        Assert.Equal(new Uri("https://win1.corp.example:5986/wsman"), https.Uri);
        Assert.Equal(new WinRmEndpoint("win1.corp.example", 5985, false, null), http);
        Assert.Equal(new Uri("http://win1.corp.example:5985/wsman"), http.Uri);
    }

    [Fact]
    public void The_credential_defaults_to_ntlm_and_keeps_the_domain()
    {
        Assert.Equal(new WinRmCredential("admin", "CORP", "pw", WinRmAuthentication.Ntlm), WinRmConnector.CredentialOf(Secret("admin", "CORP", "pw", null)));
        Assert.Equal(new WinRmCredential(@"CORP\admin", null, "pw", WinRmAuthentication.Basic), WinRmConnector.CredentialOf(Secret(@"CORP\admin", " ", "pw", WinRmAuthentication.Basic)));
    }

    [Fact]
    public void A_credential_without_username_or_password_cannot_log_in()
    {
        Assert.Equal(WinRmFailureKind.AuthFailed, Assert.Throws<WinRmConnectException>(() => WinRmConnector.CredentialOf(Secret(null, null, "pw", null))).Kind);
        Assert.Equal(WinRmFailureKind.AuthFailed, Assert.Throws<WinRmConnectException>(() => WinRmConnector.CredentialOf(Secret("admin", null, null, null))).Kind);
    }

    [Theory]
    [InlineData(@"CORP\admin", null, "admin", "CORP")]
    [InlineData(@"CORP\admin", "OTHER", "admin", "CORP")]
    [InlineData("admin@corp.example", "CORP", "admin@corp.example", "")]
    [InlineData("admin", "CORP", "admin", "CORP")]
    [InlineData("admin", null, "admin", "")]
    public void Ntlm_logins_split_the_domain_forms(string user, string? domain, string expectedUser, string expectedDomain)
    {
        var network = new WinRmCredential(user, domain, "pw", WinRmAuthentication.Ntlm).ToNetworkCredential();

        Assert.Equal(expectedUser, network.UserName);
        Assert.Equal(expectedDomain, network.Domain);
        Assert.Equal("pw", network.Password);
    }

    [Fact]
    public void The_credential_never_prints_its_password()
    {
        Assert.DoesNotContain("Sup3r-Secret", new WinRmCredential("admin", "CORP", "Sup3r-Secret", WinRmAuthentication.Ntlm).ToString(), StringComparison.Ordinal);
    }
}
