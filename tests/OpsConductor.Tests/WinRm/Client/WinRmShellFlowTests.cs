using System.Text;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>
/// The client's WinRS flow (create, command, receive loop, signal, delete) against a loopback HTTPS listener that
/// answers with the responses pypsrp recorded from a real Windows host (test_winrs_operation_timeout.yml).
/// </summary>
public sealed class WinRmShellFlowTests
{
    const string ShellId = "849551A1-CEC2-4ABD-8B62-652AD1053E9B";
    static readonly XNamespace W = WsManNames.WsMan;
    static readonly XNamespace Rsp = WsManNames.Shell;
    static readonly WinRmClientOptions Options = WinRmClientOptions.Default with { ConnectTimeout = TimeSpan.FromSeconds(20) };

    static string Recorded(string name) => RecordedTraffic.Text("pypsrp_operation_timeout_" + name + ".xml");

    static string CommandId => WsManResponse.CommandId(WsManResponse.Load(Recorded("1_command")));

    /// <summary>Create, Command, Signal and Delete as recorded; Receive as <paramref name="receive"/> says.</summary>
    static Func<string, XDocument?, CancellationToken, Task<(int, string)>> Windows(Func<int, CancellationToken, Task<(int, string)>> receive)
    {
        var receives = 0;
        return (action, _, ct) => action switch
        {
            "Identify" => Task.FromResult((200, WsManTestListener.IdentifyResponse)),
            WsManNames.ActionCreate => Task.FromResult((200, Recorded("0_create"))),
            WsManNames.ActionCommand => Task.FromResult((200, Recorded("1_command"))),
            WsManNames.ActionReceive => receive(Interlocked.Increment(ref receives), ct),
            WsManNames.ActionSignal => Task.FromResult((200, Recorded("6_signal"))),
            WsManNames.ActionDelete => Task.FromResult((200, Recorded("7_delete"))),
            _ => Task.FromResult((500, "<html>unexpected</html>")),
        };
    }

    static async Task<(WsManTestListener Server, WinRmClient Client)> ConnectAsync(Func<int, CancellationToken, Task<(int, string)>> receive)
    {
        var server = await WsManTestListener.StartAsync();
        server.Respond = Windows(receive);
        var client = await WinRmClient.ConnectAsync(server.Endpoint(server.Sha256), WsManTestListener.Credential(), Options, CancellationToken.None);
        return (server, client);
    }

    static string[] Actions(WsManTestListener server) => [.. server.Requests.Select(r => r.Action)];

    [Fact]
    public async Task A_script_runs_through_output_a_timed_out_receive_and_done_then_the_shell_is_deleted()
    {
        var (server, client) = await ConnectAsync((n, _) => Task.FromResult(n switch
        {
            1 => (200, Recorded("2_receive_running")),
            2 => (500, Recorded("3_fault_timedout")),
            _ => (200, Recorded("5_receive_done")),
        }));
        await using var _ = server;
        await using var __ = client;

        var result = await WinRmConnector.RunPowerShellAsync(client, "Write-Host hi; Start-Sleep 30; Write-Host hi again", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hi\nhi again\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Equal(["Identify", WsManNames.ActionCreate, WsManNames.ActionCommand, WsManNames.ActionReceive, WsManNames.ActionReceive, WsManNames.ActionReceive, WsManNames.ActionDelete], Actions(server));

        var command = server.Requests.Single(r => r.Action == WsManNames.ActionCommand).Body!;
        Assert.Equal(ShellId, Selector(command));
        var line = command.Descendants(Rsp + "CommandLine").Single();
        Assert.Equal("powershell.exe", line.Element(Rsp + "Command")!.Value);
        var arguments = line.Elements(Rsp + "Arguments").Select(a => a.Value).ToList();
        Assert.Equal(["-NoProfile", "-NonInteractive", "-EncodedCommand"], arguments.Take(3));
        Assert.Equal("Write-Host hi; Start-Sleep 30; Write-Host hi again", Encoding.Unicode.GetString(Convert.FromBase64String(arguments[3])));

        foreach (var receive in server.Requests.Where(r => r.Action == WsManNames.ActionReceive))
        {
            Assert.Equal(ShellId, Selector(receive.Body!));
            Assert.Equal(CommandId, (string?)receive.Body!.Descendants(Rsp + "DesiredStream").Single().Attribute("CommandId"));
        }
        Assert.Equal(ShellId, Selector(server.Requests.Last().Body!));
    }

    [Fact]
    public async Task A_timeout_sends_terminate_deletes_the_shell_and_throws_timeout()
    {
        // Windows answers w:TimedOut for as long as the command prints nothing.
        var (server, client) = await ConnectAsync(async (_, ct) =>
        {
            await Task.Delay(50, ct);
            return (500, Recorded("3_fault_timedout"));
        });
        await using var _ = server;
        await using var __ = client;

        await Assert.ThrowsAsync<TimeoutException>(() =>
            WinRmConnector.RunPowerShellAsync(client, "Start-Sleep 3600", TimeSpan.FromSeconds(1), CancellationToken.None));

        var actions = Actions(server);
        Assert.Equal([WsManNames.ActionSignal, WsManNames.ActionDelete], actions[^2..]);
        var signal = server.Requests.Single(r => r.Action == WsManNames.ActionSignal).Body!;
        Assert.Equal(WsManNames.SignalTerminate, signal.Descendants(Rsp + "Code").Single().Value);
        Assert.Equal(CommandId, (string?)signal.Descendants(Rsp + "Signal").Single().Attribute("CommandId"));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Cancel_during_a_long_polling_receive_still_terminates_and_deletes_over_a_new_connection()
    {
        var polling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, client) = await ConnectAsync(async (_, ct) =>
        {
            polling.TrySetResult();
            // Hold the Receive as Windows does for up to the OperationTimeout; ends when the client gives up.
            await Task.Delay(TimeSpan.FromSeconds(60), ct);
            return (500, Recorded("3_fault_timedout"));
        });
        await using var _ = server;
        await using var __ = client;
        using var cancel = new CancellationTokenSource();

        var run = WinRmConnector.RunPowerShellAsync(client, "Start-Sleep 3600", TimeSpan.FromMinutes(5), cancel.Token);
        await polling.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal([WsManNames.ActionSignal, WsManNames.ActionDelete], Actions(server)[^2..]);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_fault_on_command_is_thrown_with_its_codes_and_the_shell_is_still_deleted()
    {
        await using var server = await WsManTestListener.StartAsync();
        var windows = Windows((_, _) => Task.FromResult((200, Recorded("5_receive_done"))));
        server.Respond = (action, body, ct) => action == WsManNames.ActionCommand
            ? Task.FromResult((500, RecordedTraffic.Text("masterzen_executeCommandResponseWithError.xml")))
            : windows(action, body, ct);
        await using var client = await WinRmClient.ConnectAsync(server.Endpoint(server.Sha1), WsManTestListener.Credential(), Options, CancellationToken.None);

        var fault = await Assert.ThrowsAsync<WinRmFaultException>(() =>
            WinRmConnector.RunPowerShellAsync(client, "'x'", TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal("w:InternalError", fault.Subcode);
        Assert.Equal(2147942606u, fault.WsManCode);
        Assert.Equal(WsManNames.ActionDelete, Actions(server)[^1]);
        Assert.DoesNotContain(WsManNames.ActionSignal, Actions(server));
    }

    [Fact]
    public async Task Clixml_on_stderr_comes_back_as_readable_text()
    {
        const string clixml = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Error\">boom_x000D__x000A_</S></Objs>";
        var done = Recorded("5_receive_done").Replace(
            "<rsp:Stream Name=\"stdout\" CommandId=\"D644AE56-61E5-4C1A-A135-E599B76B3035\">aGk=</rsp:Stream>",
            "<rsp:Stream Name=\"stderr\" CommandId=\"D644AE56-61E5-4C1A-A135-E599B76B3035\">" + Convert.ToBase64String(Encoding.UTF8.GetBytes(clixml)) + "</rsp:Stream>",
            StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(clixml)), done, StringComparison.Ordinal);
        var (server, client) = await ConnectAsync((_, _) => Task.FromResult((200, done)));
        await using var _ = server;
        await using var __ = client;

        var result = await WinRmConnector.RunPowerShellAsync(client, "throw 'boom'", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal("boom\n", result.Stderr);
        Assert.Equal(" again\n", result.Stdout);
    }

    [Fact]
    public async Task A_script_too_long_for_the_command_line_is_sent_through_stdin_and_ends_it()
    {
        var (server, client) = await ConnectAsync((_, _) => Task.FromResult((200, Recorded("5_receive_done"))));
        server.Respond = WithSend(server.Respond);
        await using var _ = server;
        await using var __ = client;
        var script = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"$v{i} = {i}"));

        await WinRmConnector.RunPowerShellAsync(client, script, TimeSpan.FromMinutes(1), CancellationToken.None);

        var sends = server.Requests.Where(r => r.Action == WsManNames.ActionSend).Select(r => r.Body!.Descendants(Rsp + "Stream").Single()).ToList();
        Assert.NotEmpty(sends);
        Assert.Equal("true", (string?)sends[^1].Attribute("End"));
        Assert.All(sends[..^1], s => Assert.Null(s.Attribute("End")));
        var stdin = sends.SelectMany(s => Convert.FromBase64String(s.Value)).ToArray();
        Assert.Equal(PowerShellCommand.ThroughStdin(script).Stdin, stdin);
        var arguments = server.Requests.Single(r => r.Action == WsManNames.ActionCommand).Body!.Descendants(Rsp + "Arguments").Select(a => a.Value).ToList();
        Assert.Equal(PowerShellCommand.StdinBootstrap, Encoding.Unicode.GetString(Convert.FromBase64String(arguments[3])));
    }

    [Fact]
    public async Task Deleting_a_shell_twice_sends_one_delete()
    {
        var (server, client) = await ConnectAsync((_, _) => Task.FromResult((200, Recorded("5_receive_done"))));
        await using var _ = server;
        await using var __ = client;

        var shell = await client.CreateShellAsync(WinRmShellOptions.Default, CancellationToken.None);
        await shell.DeleteAsync(CancellationToken.None);
        await shell.DeleteAsync(CancellationToken.None);
        await shell.DisposeAsync();

        Assert.Equal(ShellId, shell.ShellId);
        Assert.Single(server.Requests, r => r.Action == WsManNames.ActionDelete);
    }

    static Func<string, XDocument?, CancellationToken, Task<(int, string)>> WithSend(Func<string, XDocument?, CancellationToken, Task<(int, string)>> inner) =>
        (action, body, ct) => action == WsManNames.ActionSend
            ? Task.FromResult((200, RecordedTraffic.Text("pypsrp_operation_timeout_6_signal.xml").Replace("SignalResponse", "SendResponse", StringComparison.Ordinal)))
            : inner(action, body, ct);

    static string? Selector(XDocument body) =>
        body.Root!.Element(WsManNames.Soap + "Header")!.Element(W + "SelectorSet")?.Elements(W + "Selector").FirstOrDefault(s => (string?)s.Attribute("Name") == "ShellId")?.Value;
}
