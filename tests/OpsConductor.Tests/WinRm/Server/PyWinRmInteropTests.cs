using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// The widely used Python client, pywinrm (Debian's python3-winrm 0.3.0 with requests-ntlm 1.1 and ntlm-auth 1.4),
/// against the test server: proof that the server speaks WinRM as a real client expects, over Basic/HTTPS and over
/// NTLM with message encryption on plain HTTP. (0.3.0's run_ps crashes when stderr is non-empty, fixed in 0.4.0,
/// so stderr is tested with run_cmd.)
/// </summary>
public class PyWinRmInteropTests(WinRmServerFixture fixture) : IClassFixture<WinRmServerFixture>
{
    string Session(bool https, string transport, string user, string password, string extra = "") =>
        $"""
        import json, sys, winrm
        s = winrm.Session({PyWinRm.Literal((https ? fixture.HttpsUri : fixture.HttpUri).ToString())}, auth=({PyWinRm.Literal(user)}, {PyWinRm.Literal(password)}),
                          transport={PyWinRm.Literal(transport)}, server_cert_validation='ignore'{extra})
        """;

    const string RunCmdAndPs = """

        r = s.run_cmd('echo out-line; echo err-line >&2; exit 7')
        p = s.run_ps('$x = 6 * 7; Write-Output "ps says $x"')
        print(json.dumps({'out': r.std_out.decode(), 'err': r.std_err.decode(), 'code': r.status_code,
                          'ps_out': p.std_out.decode(), 'ps_code': p.status_code}))
        """;

    [Fact]
    public async Task Run_cmd_and_run_ps_over_Basic_on_HTTPS()
    {
        var result = await PyWinRm.RunAsync(Session(true, "basic", WinRmServerFixture.User, WinRmServerFixture.Password) + RunCmdAndPs);
        AssertRan(result);
        Assert.Equal(0, fixture.Server.LiveShellCount);
    }

    [Fact]
    public async Task Run_cmd_and_run_ps_over_NTLM_with_message_encryption_on_HTTP()
    {
        var result = await PyWinRm.RunAsync(
            Session(false, "ntlm", WinRmServerFixture.User, WinRmServerFixture.Password, ", message_encryption='always'") + RunCmdAndPs);
        AssertRan(result);
    }

    [Fact]
    public async Task Ntlm_over_HTTPS_without_message_encryption()
    {
        var result = await PyWinRm.RunAsync(
            Session(true, "ntlm", WinRmServerFixture.User, WinRmServerFixture.Password, ", message_encryption='never'") + RunCmdAndPs);
        AssertRan(result);
    }

    [Fact]
    public async Task A_domain_account_as_DOMAIN_backslash_user_over_NTLM()
    {
        var result = await PyWinRm.RunAsync(
            Session(false, "ntlm", $"{WinRmServerFixture.Domain}\\{WinRmServerFixture.DomainUser}", WinRmServerFixture.DomainPassword, ", message_encryption='always'")
            + "\nr = s.run_cmd('echo domain-ok')\nprint(json.dumps({'out': r.std_out.decode(), 'code': r.status_code}))\n");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("domain-ok\n", result.Json.GetProperty("out").GetString());
    }

    [Fact]
    public async Task A_domain_account_as_user_at_domain_over_Basic()
    {
        var result = await PyWinRm.RunAsync(
            Session(true, "basic", $"{WinRmServerFixture.DomainUser}@{WinRmServerFixture.Domain}", WinRmServerFixture.DomainPassword)
            + "\nr = s.run_cmd('echo upn-ok')\nprint(json.dumps({'out': r.std_out.decode(), 'code': r.status_code}))\n");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("upn-ok\n", result.Json.GetProperty("out").GetString());
    }

    [Theory]
    [InlineData(true, "basic")]
    [InlineData(false, "ntlm")]
    [InlineData(true, "ntlm")]
    public async Task A_wrong_password_is_rejected(bool https, string transport)
    {
        var result = await PyWinRm.RunAsync(Session(https, transport, WinRmServerFixture.User, "Wrong-Password-1")
            + """

            try:
                s.run_cmd('echo should-not-run')
                print(json.dumps({'error': None}))
            except winrm.exceptions.InvalidCredentialsError as e:
                print(json.dumps({'error': 'InvalidCredentialsError'}))
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("InvalidCredentialsError", result.Json.GetProperty("error").GetString());
        Assert.Contains(WinRmServerFixture.User, fixture.Server.LastAuthFailure);
    }

    [Fact]
    public async Task Basic_over_plain_HTTP_is_refused_like_Windows_with_AllowUnencrypted_false()
    {
        var result = await PyWinRm.RunAsync(Session(false, "basic", WinRmServerFixture.User, WinRmServerFixture.Password)
            + """

            try:
                s.run_cmd('echo should-not-run')
                print(json.dumps({'error': None}))
            except winrm.exceptions.InvalidCredentialsError as e:
                print(json.dumps({'error': 'InvalidCredentialsError'}))
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("InvalidCredentialsError", result.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Unencrypted_NTLM_over_plain_HTTP_is_refused()
    {
        var result = await PyWinRm.RunAsync(
            Session(false, "ntlm", WinRmServerFixture.User, WinRmServerFixture.Password, ", message_encryption='never'")
            + """

            try:
                s.run_cmd('echo should-not-run')
                print(json.dumps({'error': None}))
            except winrm.exceptions.WinRMError as e:
                print(json.dumps({'error': str(e)}))
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("AllowUnencrypted", result.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Long_output_arrives_whole_across_many_Receive_responses()
    {
        // 200 lines of 100 bytes: 20 kB, five times the server's 4 kB cap per Receive response.
        var result = await PyWinRm.RunAsync(Session(true, "basic", WinRmServerFixture.User, WinRmServerFixture.Password)
            + """

            calls = [0]
            original = s.protocol._raw_get_command_output
            def counting(*a):
                calls[0] += 1
                return original(*a)
            s.protocol._raw_get_command_output = counting
            r = s.run_cmd("i=0; while [ $i -lt 200 ]; do printf '%099d\\n' $i; i=$((i+1)); done")
            print(json.dumps({'out': r.std_out.decode(), 'code': r.status_code, 'receives': calls[0]}))
            """);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var expected = string.Concat(Enumerable.Range(0, 200).Select(i => i.ToString("D99") + "\n"));
        Assert.Equal(expected, result.Json.GetProperty("out").GetString());
        Assert.True(result.Json.GetProperty("receives").GetInt32() >= 5, result.Stdout);
    }

    static void AssertRan(PyWinRm.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("out-line\n", result.Json.GetProperty("out").GetString());
        Assert.Equal("err-line\n", result.Json.GetProperty("err").GetString());
        Assert.Equal(7, result.Json.GetProperty("code").GetInt32());
        Assert.Equal("ps says 42\n", result.Json.GetProperty("ps_out").GetString());
        Assert.Equal(0, result.Json.GetProperty("ps_code").GetInt32());
    }
}
