using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>The parser against responses recorded from real Windows hosts (pypsrp, MIT; masterzen/winrm, Apache-2.0).</summary>
public sealed class WsManResponseGoldenTests
{
    [Fact]
    public void Create_response_gives_the_shell_id()
    {
        Assert.Equal("4283CBDC-3706-415B-88BD-B385F3E51A53", WsManResponse.ShellId(RecordedTraffic.Load("pypsrp_standard_0_create.xml")));
        // masterzen's recording is pretty-printed: whitespace around the id must not matter.
        Assert.Equal("67A74734-DD32-4F10-89DE-49A060483810", WsManResponse.ShellId(RecordedTraffic.Load("masterzen_createShellResponse.xml")));
        Assert.Equal(WsManNames.ActionCreateResponse, WsManResponse.Action(RecordedTraffic.Load("pypsrp_standard_0_create.xml")));
    }

    [Fact]
    public void Command_response_gives_the_command_id()
    {
        Assert.Equal("CF84C20A-0A35-43FA-AF78-0B4711DA5F30", WsManResponse.CommandId(RecordedTraffic.Load("pypsrp_standard_1_command.xml")));
    }

    [Fact]
    public void Receive_of_a_finished_command_gives_its_output_and_exit_code()
    {
        var result = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_standard_2_receive_done.xml"), "CF84C20A-0A35-43FA-AF78-0B4711DA5F30");

        Assert.True(result.Done);
        Assert.Equal(0, result.ExitCode);
        var chunk = Assert.Single(result.Output);
        Assert.Equal(OutputStream.Stdout, chunk.Stream);
        Assert.Equal("hi\r\n", Encoding.UTF8.GetString(chunk.Data));
    }

    [Fact]
    public void Receive_keeps_stdout_and_stderr_apart_and_reads_a_non_zero_exit_code()
    {
        var result = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_stderr_rc_2_receive_done.xml"), "D37A8327-79AD-452F-BE0D-4B99A96B4A0B");

        Assert.True(result.Done);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("out \r\n", Text(result, OutputStream.Stdout));
        Assert.Equal("err \r\n", Text(result, OutputStream.Stderr));
    }

    [Fact]
    public void Output_split_across_receives_with_timeouts_between_them_adds_up()
    {
        const string id = "D644AE56-61E5-4C1A-A135-E599B76B3035";
        var first = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_operation_timeout_2_receive_running.xml"), id);
        var timedOut = WsManResponse.Fault(RecordedTraffic.Load("pypsrp_operation_timeout_3_fault_timedout.xml"));
        var last = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_operation_timeout_5_receive_done.xml"), id);

        Assert.False(first.Done);
        Assert.Null(first.ExitCode);
        Assert.Equal(2, first.Output.Count);
        Assert.Equal("hi\n", Text(first, OutputStream.Stdout));

        Assert.NotNull(timedOut);
        Assert.True(WsManResponse.IsOperationTimeout(timedOut));
        Assert.Equal(WinRmFaultException.OperationTimeoutCode, timedOut.WsManCode);
        Assert.Equal("w:TimedOut", timedOut.Subcode);

        Assert.True(last.Done);
        Assert.Equal(0, last.ExitCode);
        Assert.Equal("hi\nhi again\n", Text(first, OutputStream.Stdout) + Text(last, OutputStream.Stdout));
    }

    [Fact]
    public void Receive_decodes_utf8_output_split_into_chunks()
    {
        var result = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_unicode_2_receive_done.xml"));

        Assert.True(result.Done);
        Assert.Equal("こんにちは\n", Text(result, OutputStream.Stdout));
    }

    [Fact]
    public void Receive_after_stdin_was_sent_reads_each_line()
    {
        var result = WsManResponse.Receive(RecordedTraffic.Load("pypsrp_send_4_receive_done.xml"));

        Assert.True(result.Done);
        Assert.StartsWith("output 1\noutput 2", Text(result, OutputStream.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_selectors_fault_carries_code_subcode_wsman_code_and_both_texts()
    {
        var document = RecordedTraffic.Load("pypsrp_bad_cmd_id_2_fault_invalid_selectors.xml");

        var fault = Assert.Throws<WinRmFaultException>(() => WsManResponse.Receive(document));

        Assert.Equal("s:Sender", fault.Code);
        Assert.Equal("w:InvalidSelectors", fault.Subcode);
        Assert.Equal(2150858843u, fault.WsManCode);
        Assert.Contains("invalid selectors for the resource", fault.Reason, StringComparison.Ordinal);
        Assert.Contains("command identifier that does not exist", fault.Reason, StringComparison.Ordinal);
        Assert.False(WsManResponse.IsOperationTimeout(fault));
        Assert.Contains("w:InvalidSelectors", fault.Message, StringComparison.Ordinal);
        Assert.Contains("2150858843", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_faults_read_their_message_and_code()
    {
        var invalid = WsManResponse.Fault(RecordedTraffic.Load("pypsrp_fail_poll_process_1_fault_invalid_parameter.xml"));
        var tooLong = WsManResponse.Fault(RecordedTraffic.Load("masterzen_executeCommandResponseWithError.xml"));

        Assert.NotNull(invalid);
        Assert.Equal("w:InvalidParameter", invalid.Subcode);
        Assert.Equal(87u, invalid.WsManCode);
        Assert.Equal("The parameter is incorrect.", invalid.Reason);

        Assert.NotNull(tooLong);
        Assert.Equal("s:Receiver", tooLong.Code);
        Assert.Equal("w:InternalError", tooLong.Subcode);
        Assert.Equal(2147942606u, tooLong.WsManCode);
        Assert.Equal("The filename or extension is too long.", tooLong.Reason);
    }

    [Fact]
    public void Masterzen_recordings_parse_the_same_way()
    {
        var running = WsManResponse.Receive(RecordedTraffic.Load("masterzen_outputResponse.xml"), "1A6DEE6B-EC68-4DD6-87E9-030C0048ECC4");
        var done = WsManResponse.Receive(RecordedTraffic.Load("masterzen_doneCommandResponse.xml"));
        var timeout = WsManResponse.Fault(RecordedTraffic.Load("masterzen_operationTimeoutResponse.xml"));

        Assert.False(running.Done);
        Assert.Equal("That's all folks!!!", Text(running, OutputStream.Stdout));
        Assert.Equal("This is stderr, I'm pretty sure!", Text(running, OutputStream.Stderr));
        Assert.True(done.Done);
        Assert.Equal(123, done.ExitCode);
        Assert.Empty(done.Output);
        Assert.NotNull(timeout);
        Assert.True(WsManResponse.IsOperationTimeout(timeout));
    }

    [Fact]
    public void Streams_of_another_command_are_left_out()
    {
        var result = WsManResponse.Receive(RecordedTraffic.Load("masterzen_outputResponse.xml"), "00000000-0000-0000-0000-000000000000");

        Assert.Empty(result.Output);
    }

    [Fact]
    public void Exit_codes_written_unsigned_keep_their_bits()
    {
        var xml = RecordedTraffic.Text("masterzen_doneCommandResponse.xml").Replace("<rsp:ExitCode>123</rsp:ExitCode>", "<rsp:ExitCode>4294967295</rsp:ExitCode>", StringComparison.Ordinal);

        Assert.Equal(-1, WsManResponse.Receive(WsManResponse.Load(xml)).ExitCode);
    }

    [Theory]
    [InlineData("<html><body>Not Found</body></html>")]
    [InlineData("not xml at all")]
    [InlineData("")]
    public void Something_that_is_not_a_soap_envelope_is_a_protocol_error(string body)
    {
        var e = Assert.Throws<WinRmConnectException>(() => WsManResponse.Load(body));

        Assert.Equal(WinRmFailureKind.ProtocolError, e.Kind);
        Assert.DoesNotContain("Not Found", e.Message, StringComparison.Ordinal);
    }

    static string Text(WinRmReceiveResult result, OutputStream stream) =>
        string.Concat(result.Output.Where(o => o.Stream == stream).Select(o => Encoding.UTF8.GetString(o.Data)));
}
