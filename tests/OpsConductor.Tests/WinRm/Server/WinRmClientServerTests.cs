using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// Our WinRM client (OpsConductor.Remoting.WinRm) against the test server: Basic over HTTPS with a pinned
/// certificate, NTLM with message encryption over HTTP, domain account forms, refused logins, signals, and
/// shells deleted after cancel and timeout.
/// </summary>
public class WinRmClientServerTests(WinRmServerFixture fixture) : IClassFixture<WinRmServerFixture>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    static WinRmClientServerTests() => AppContext.SetSwitch("System.Net.Security.UseManagedNtlm", true);

    WinRmEndpoint Https(string? thumbprint) => new("127.0.0.1", fixture.HttpsPort, UseHttps: true, thumbprint);

    WinRmEndpoint Http => new("127.0.0.1", fixture.HttpPort, UseHttps: false);

    static WinRmCredential Local(WinRmAuthentication auth, string? password = null) =>
        new(WinRmServerFixture.User, null, password ?? WinRmServerFixture.Password, auth);

    static async Task<WinRmClient> ConnectAsync(WinRmEndpoint endpoint, WinRmCredential credential)
    {
        using var cts = new CancellationTokenSource(Patience);
        return await WinRmClient.ConnectAsync(endpoint, credential, WinRmClientOptions.Default, cts.Token);
    }

    async Task<WinRmScriptResult> RunAsync(WinRmEndpoint endpoint, WinRmCredential credential, string script)
    {
        await using var client = await ConnectAsync(endpoint, credential);
        return await WinRmConnector.RunPowerShellAsync(client, script, Patience, CancellationToken.None);
    }

    [Fact]
    public async Task Basic_over_HTTPS_with_the_SHA256_thumbprint_pinned()
    {
        var result = await RunAsync(Https(fixture.Thumbprint), Local(WinRmAuthentication.Basic), "Write-Output \"basic $(6 * 7)\"; exit 3");
        Assert.Equal("basic 42\n", result.Stdout);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(0, fixture.Server.LiveShellCount);
    }

    [Fact]
    public async Task Basic_over_HTTPS_with_the_SHA1_thumbprint_pinned()
    {
        var result = await RunAsync(Https(fixture.Server.ThumbprintSha1), Local(WinRmAuthentication.Basic), "Write-Output sha1");
        Assert.Equal("sha1\n", result.Stdout);
    }

    [Fact]
    public async Task A_different_pinned_thumbprint_rejects_the_certificate()
    {
        var wrong = new string('A', 64);
        var e = await Assert.ThrowsAsync<WinRmConnectException>(() => ConnectAsync(Https(wrong), Local(WinRmAuthentication.Basic)));
        Assert.Equal(WinRmFailureKind.CertificateRejected, e.Kind);
    }

    [Fact]
    public async Task Without_a_pin_the_self_signed_certificate_is_not_trusted()
    {
        var e = await Assert.ThrowsAsync<WinRmConnectException>(() => ConnectAsync(Https(null), Local(WinRmAuthentication.Basic)));
        Assert.Equal(WinRmFailureKind.CertificateRejected, e.Kind);
    }

    [Fact]
    public async Task Ntlm_with_message_encryption_over_HTTP_runs_PowerShell_and_cmd_style_commands()
    {
        await using var client = await ConnectAsync(Http, Local(WinRmAuthentication.Ntlm));
        var ps = await WinRmConnector.RunPowerShellAsync(client, "Write-Output 'sealed over http'", Patience, CancellationToken.None);
        Assert.Equal("sealed over http\n", ps.Stdout);
        Assert.Equal(0, ps.ExitCode);

        // The same connection (NTLM is per connection) serves another shell.
        await using var shell = await client.CreateShellAsync(WinRmShellOptions.Default, CancellationToken.None);
        var command = await shell.StartCommandAsync("echo out; echo err >&2; exit 4", [], CancellationToken.None);
        var (stdout, stderr, exitCode) = await DrainAsync(command);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
        Assert.Equal(4, exitCode);
    }

    [Fact]
    public async Task Ntlm_over_HTTPS()
    {
        var result = await RunAsync(Https(fixture.Thumbprint), Local(WinRmAuthentication.Ntlm), "Write-Output 'ntlm over tls'");
        Assert.Equal("ntlm over tls\n", result.Stdout);
    }

    [Theory]
    [InlineData(WinRmAuthentication.Ntlm, "CORP\\svc-deploy", null)]
    [InlineData(WinRmAuthentication.Ntlm, "svc-deploy@CORP", null)]
    [InlineData(WinRmAuthentication.Ntlm, "svc-deploy", "CORP")]
    [InlineData(WinRmAuthentication.Basic, "CORP\\svc-deploy", null)]
    [InlineData(WinRmAuthentication.Basic, "svc-deploy@CORP", null)]
    [InlineData(WinRmAuthentication.Basic, "svc-deploy", "CORP")]
    public async Task Domain_accounts_in_every_form(WinRmAuthentication auth, string user, string? domain)
    {
        var endpoint = auth == WinRmAuthentication.Basic ? Https(fixture.Thumbprint) : Http;
        var result = await RunAsync(endpoint, new WinRmCredential(user, domain, WinRmServerFixture.DomainPassword, auth), "Write-Output domain-ok");
        Assert.Equal("domain-ok\n", result.Stdout);
    }

    [Theory]
    [InlineData(WinRmAuthentication.Ntlm, false)]
    [InlineData(WinRmAuthentication.Ntlm, true)]
    [InlineData(WinRmAuthentication.Basic, true)]
    public async Task A_wrong_password_is_AuthFailed_and_the_message_has_no_password(WinRmAuthentication auth, bool https)
    {
        var endpoint = https ? Https(fixture.Thumbprint) : Http;
        var e = await Assert.ThrowsAsync<WinRmConnectException>(() => ConnectAsync(endpoint, Local(auth, "Wrong-Password-3")));
        Assert.Equal(WinRmFailureKind.AuthFailed, e.Kind);
        Assert.DoesNotContain("Wrong-Password-3", e.ToString());
    }

    [Fact]
    public async Task Basic_over_HTTP_is_refused_before_anything_is_sent()
    {
        var e = await Assert.ThrowsAsync<WinRmConnectException>(() => ConnectAsync(Http, Local(WinRmAuthentication.Basic)));
        Assert.Equal(WinRmFailureKind.InsecureRefused, e.Kind);
    }

    [Fact]
    public async Task Signal_terminate_ends_the_command_and_its_children()
    {
        await using var client = await ConnectAsync(Http, Local(WinRmAuthentication.Ntlm));
        await using var shell = await client.CreateShellAsync(WinRmShellOptions.Default, CancellationToken.None);
        var command = await shell.StartCommandAsync("sleep 300 & echo $!; wait", [], CancellationToken.None);
        var line = new StringBuilder();
        while (!line.ToString().Contains('\n'))
        {
            foreach (var output in (await command.ReceiveAsync(CancellationToken.None)).Output)
            {
                line.Append(Encoding.UTF8.GetString(output.Data));
            }
        }
        var child = int.Parse(line.ToString().Trim());
        await command.SignalAsync(WinRmSignal.Terminate, CancellationToken.None);
        var (_, _, exitCode) = await DrainAsync(command);
        Assert.NotEqual(0, exitCode);
        await LocalProcesses.AssertGoneAsync(child);
    }

    [Fact]
    public async Task Cancel_deletes_the_shell_on_the_server()
    {
        await using var client = await ConnectAsync(Http, Local(WinRmAuthentication.Ntlm));
        using var cancel = new CancellationTokenSource();
        var run = WinRmConnector.RunPowerShellAsync(client, "Write-Output started; Start-Sleep -Seconds 120", Patience * 3, cancel.Token);
        // Cancel while the client long-polls a Receive (the shell and command exist on both sides by then).
        await WaitForAsync(() => fixture.Server.WaitingReceives > 0);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(fixture.Server.LiveShellCount == 0, string.Join("\n", fixture.Server.RecentRequests));
    }

    [Fact]
    public async Task A_timeout_terminates_and_deletes_the_shell()
    {
        await using var client = await ConnectAsync(Https(fixture.Thumbprint), Local(WinRmAuthentication.Basic));
        await Assert.ThrowsAsync<TimeoutException>(() =>
            WinRmConnector.RunPowerShellAsync(client, "Start-Sleep -Seconds 120", TimeSpan.FromSeconds(3), CancellationToken.None));
        Assert.Equal(0, fixture.Server.LiveShellCount);
    }

    [Fact]
    public async Task A_script_longer_than_the_command_line_limit_goes_through_stdin()
    {
        var filler = string.Concat(Enumerable.Range(0, 1000).Select(i => $"$v{i} = {i}\n"));
        var script = filler + "Write-Output (\"last \" + $v999)";
        Assert.True(script.Length > PowerShellCommand.MaxCommandLineLength);
        var result = await RunAsync(Http, Local(WinRmAuthentication.Ntlm), script);
        Assert.Contains("last 999", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Errors_written_by_PowerShell_reach_stderr_readable_and_exit_codes_follow_exit()
    {
        var result = await RunAsync(Https(fixture.Thumbprint), Local(WinRmAuthentication.Basic), "[Console]::Error.WriteLine('went wrong'); exit 12");
        Assert.Contains("went wrong", result.Stderr);
        Assert.Equal(12, result.ExitCode);
    }

    [Fact]
    public async Task Write_Error_arrives_as_CLIXML_from_pwsh_and_is_decoded_by_the_client()
    {
        var result = await RunAsync(Http, Local(WinRmAuthentication.Ntlm), "Write-Error 'boom happened'; exit 2");
        Assert.Contains("boom happened", result.Stderr);
        Assert.DoesNotContain("#< CLIXML", result.Stderr);
        Assert.Equal(2, result.ExitCode);
    }

    static async Task<(string Stdout, string Stderr, int ExitCode)> DrainAsync(WinRmCommand command)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        while (true)
        {
            var round = await command.ReceiveAsync(CancellationToken.None);
            foreach (var output in round.Output)
            {
                (output.Stream == OutputStream.Stdout ? stdout : stderr).Append(Encoding.UTF8.GetString(output.Data));
            }
            if (round.Done)
            {
                return (stdout.ToString(), stderr.ToString(), round.ExitCode ?? -1);
            }
        }
    }

    static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }
}
