using System.Net;
using System.Text;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// The test server's WinRS shell resource as [MS-WSMV] specifies it, request by request: addressing, faults
/// (bad selectors, operation timeout, unknown action, malformed XML), streaming across Receives, stdin, signals
/// and Delete killing the shell's processes.
/// </summary>
public class WsManServerProtocolTests(WinRmServerFixture fixture) : IClassFixture<WinRmServerFixture>
{
    static readonly XNamespace A = WsManNames.Addressing;
    static readonly XNamespace S = WsManNames.Soap;

    static string? Header(XDocument document, XName name) => document.Root?.Element(S + "Header")?.Element(name)?.Value;

    [Fact]
    public async Task Create_answers_the_ShellId_in_rsp_Shell_and_the_ResourceCreated_selector_with_correct_addressing()
    {
        using var channel = new BasicWsManChannel(fixture);
        var messageId = WsManEnvelope.NewMessageId();
        var (status, document) = await channel.PostAsync(WsManEnvelope.Create(channel.Uri, channel.Options, WinRmShellOptions.Default, messageId));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(WsManNames.ActionCreateResponse, Header(document, A + "Action"));
        Assert.Equal(messageId, Header(document, A + "RelatesTo"));
        Assert.StartsWith("uuid:", Header(document, A + "MessageID"));
        var body = WsManResponse.Body(document);
        var shellId = body.Element(WsManNames.Shell + "Shell")!.Element(WsManNames.Shell + "ShellId")!.Value;
        var selector = body.Descendants(WsManNames.WsMan + "Selector").Single(s => (string?)s.Attribute("Name") == "ShellId").Value;
        Assert.Equal(shellId, selector);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task An_unknown_ShellId_is_the_InvalidSelectors_fault_Windows_answers()
    {
        using var channel = new BasicWsManChannel(fixture);
        var messageId = WsManEnvelope.NewMessageId();
        var (status, document) = await channel.PostAsync(WsManEnvelope.Command(channel.Uri, channel.Options, "00000000-0000-0000-0000-000000000000", "echo", [], messageId));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(WsManNames.ActionFault, Header(document, A + "Action"));
        Assert.Equal(messageId, Header(document, A + "RelatesTo"));
        var fault = WsManResponse.Fault(document)!;
        Assert.Equal("s:Sender", fault.Code);
        Assert.Equal("w:InvalidSelectors", fault.Subcode);
        Assert.Equal(2150858843u, fault.WsManCode);
        Assert.Contains("shell was not found", fault.Reason);
    }

    [Fact]
    public async Task An_idle_Receive_answers_the_TimedOut_fault_after_the_operation_timeout()
    {
        using var channel = new BasicWsManChannel(fixture) { Options = WinRmClientOptions.Default with { OperationTimeout = TimeSpan.FromSeconds(1) } };
        var shellId = await channel.CreateShellAsync();
        var commandId = await channel.CommandAsync(shellId, "sleep 30");
        var (status, document) = await channel.PostAsync(WsManEnvelope.Receive(channel.Uri, channel.Options, shellId, commandId));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var fault = WsManResponse.Fault(document)!;
        Assert.Equal("s:Receiver", fault.Code);
        Assert.Equal("w:TimedOut", fault.Subcode);
        Assert.Equal(WinRmFaultException.OperationTimeoutCode, fault.WsManCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Output_is_split_across_many_Receive_responses_and_arrives_whole_and_in_order()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        // 1000 lines of 40 bytes on stdout, then a stderr line: ten times the 4 kB cap of one response.
        var commandId = await channel.CommandAsync(shellId, "i=0; while [ $i -lt 1000 ]; do printf 'line %034d\\n' $i; i=$((i+1)); done; echo tail >&2; exit 5");
        var (stdout, stderr, exitCode, responses) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Equal(string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i:D34}\n")), stdout);
        Assert.Equal("tail\n", stderr);
        Assert.Equal(5, exitCode);
        Assert.True(responses >= 10, $"{responses} responses");
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task The_shell_honours_WorkingDirectory_and_Environment()
    {
        using var channel = new BasicWsManChannel(fixture);
        var directory = Directory.CreateTempSubdirectory("opsc-winrm-cwd-").FullName;
        var shellId = await channel.CreateShellAsync(new WinRmShellOptions
        {
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string> { ["OPSC_GREETING"] = "hello from the shell" },
        });
        var commandId = await channel.CommandAsync(shellId, "pwd; echo \"$OPSC_GREETING\"");
        var (stdout, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Equal($"{directory}\nhello from the shell\n", stdout);
        Assert.Equal(0, exitCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
        Directory.Delete(directory);
    }

    [Fact]
    public async Task Send_feeds_stdin_and_End_closes_it()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        var commandId = await channel.CommandAsync(shellId, "tr a-z A-Z");
        await channel.PostAsync(WsManEnvelope.Send(channel.Uri, channel.Options, shellId, commandId, "first line\n"u8, end: false));
        var (status, document) = await channel.PostAsync(WsManEnvelope.Send(channel.Uri, channel.Options, shellId, commandId, "second\n"u8, end: true));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(WsManNames.ActionSendResponse, Header(document, A + "Action"));
        var (stdout, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Equal("FIRST LINE\nSECOND\n", stdout);
        Assert.Equal(0, exitCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Powershell_exe_with_EncodedCommand_runs_in_pwsh_with_exit_code()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        var script = "Write-Output \"sum $(40 + 2)\"; exit 9";
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));
        var commandId = await channel.CommandAsync(shellId, "powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded);
        var (stdout, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Equal("sum 42\n", stdout);
        Assert.Equal(9, exitCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Powershell_with_Command_dash_reads_its_script_from_stdin()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        var commandId = await channel.CommandAsync(shellId, "powershell", "-NoProfile", "-NonInteractive", "-Command", "-");
        await channel.PostAsync(WsManEnvelope.Send(channel.Uri, channel.Options, shellId, commandId, "Write-Output ('from stdin ' + (3 * 3))\n"u8, end: true));
        var (stdout, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Contains("from stdin 9", stdout);
        Assert.Equal(0, exitCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Signal_terminate_kills_the_process_tree()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        // The shell prints the pid of a background child, then waits: terminate must take the child too.
        var commandId = await channel.CommandAsync(shellId, "sleep 300 & echo $!; wait");
        var child = int.Parse(await channel.ReceiveLineAsync(shellId, commandId));
        Assert.True(LocalProcesses.IsAlive(child));
        var (status, document) = await channel.PostAsync(WsManEnvelope.Signal(channel.Uri, channel.Options, shellId, commandId, WinRmSignal.Terminate));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(WsManNames.ActionSignalResponse, Header(document, A + "Action"));
        var (_, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.NotEqual(0, exitCode);
        await LocalProcesses.AssertGoneAsync(child);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Signal_ctrl_c_interrupts_the_command()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        var commandId = await channel.CommandAsync(shellId, "trap 'echo interrupted; exit 130' INT; echo ready; while :; do sleep 0.1; done");
        Assert.Equal("ready", await channel.ReceiveLineAsync(shellId, commandId));
        await channel.PostAsync(WsManEnvelope.Signal(channel.Uri, channel.Options, shellId, commandId, WinRmSignal.CtrlC));
        var (stdout, _, exitCode, _) = await channel.ReceiveAllAsync(shellId, commandId);
        Assert.Contains("interrupted", stdout);
        Assert.Equal(130, exitCode);
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }

    [Fact]
    public async Task Delete_kills_the_shells_processes_and_forgets_the_shell()
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync();
        var commandId = await channel.CommandAsync(shellId, "echo $$; exec sleep 300");
        var pid = int.Parse(await channel.ReceiveLineAsync(shellId, commandId));
        var messageId = WsManEnvelope.NewMessageId();
        var (status, document) = await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId, messageId));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(WsManNames.ActionDeleteResponse, Header(document, A + "Action"));
        Assert.Equal(messageId, Header(document, A + "RelatesTo"));
        await LocalProcesses.AssertGoneAsync(pid);
        var (again, fault) = await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
        Assert.Equal(HttpStatusCode.InternalServerError, again);
        Assert.Equal("w:InvalidSelectors", WsManResponse.Fault(fault)!.Subcode);
    }

    [Fact]
    public async Task An_unknown_action_is_ActionNotSupported()
    {
        using var channel = new BasicWsManChannel(fixture);
        var request = WsManEnvelope.Delete(channel.Uri, channel.Options, "any");
        request.Root!.Element(S + "Header")!.Element(A + "Action")!.Value = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Frobnicate";
        var (status, document) = await channel.PostAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("a:ActionNotSupported", WsManResponse.Fault(document)!.Subcode);
    }

    [Fact]
    public async Task Malformed_XML_is_a_400_with_a_SOAP_fault()
    {
        using var channel = new BasicWsManChannel(fixture);
        var (status, document, _) = await channel.PostRawAsync("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header>"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("s:Sender", WsManResponse.Fault(document!)!.Code);
    }

    [Fact]
    public async Task Without_credentials_the_server_offers_Negotiate_and_on_HTTPS_Basic()
    {
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var overHttps = await http.PostAsync(fixture.HttpsUri, new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, overHttps.StatusCode);
        Assert.Equal(["Negotiate", "Basic"], overHttps.Headers.WwwAuthenticate.Select(h => h.Scheme));
        using var overHttp = await http.PostAsync(fixture.HttpUri, new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, overHttp.StatusCode);
        Assert.Equal(["Negotiate"], overHttp.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }

    [Fact]
    public async Task A_wrong_Basic_password_is_401()
    {
        using var channel = new BasicWsManChannel(fixture, password: "Wrong-Password-2");
        var (status, _, _) = await channel.PostRawAsync(WsManEnvelope.ToBytes(WsManEnvelope.Create(channel.Uri, channel.Options, WinRmShellOptions.Default)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData(65001, "c3a9")]
    [InlineData(437, "82")]
    [InlineData(1252, "e9")]
    public async Task Output_is_encoded_in_the_shells_WINRS_CODEPAGE(int codePage, string expectedHex)
    {
        using var channel = new BasicWsManChannel(fixture);
        var shellId = await channel.CreateShellAsync(new WinRmShellOptions { CodePage = codePage });
        var commandId = await channel.CommandAsync(shellId, "printf '\\303\\251'");
        var bytes = new List<byte>();
        while (true)
        {
            var (_, document) = await channel.PostAsync(WsManEnvelope.Receive(channel.Uri, channel.Options, shellId, commandId));
            var result = WsManResponse.Receive(document, commandId);
            bytes.AddRange(result.Output.SelectMany(o => o.Data));
            if (result.Done)
            {
                break;
            }
        }
        Assert.Equal(expectedHex, Convert.ToHexStringLower([.. bytes]));
        await channel.PostAsync(WsManEnvelope.Delete(channel.Uri, channel.Options, shellId));
    }
}
