using System.Text;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.Tests.WinRm.Client;

public sealed class WsManEnvelopeTests
{
    static readonly XNamespace S = WsManNames.Soap;
    static readonly XNamespace A = WsManNames.Addressing;
    static readonly XNamespace W = WsManNames.WsMan;
    static readonly XNamespace P = WsManNames.WsMv;
    static readonly XNamespace Rsp = WsManNames.Shell;
    static readonly Uri To = new("http://win1.example:5985/wsman");
    static readonly WinRmClientOptions Options = WinRmClientOptions.Default with { OperationTimeout = TimeSpan.FromSeconds(20), MaxEnvelopeSize = 153600 };

    [Fact]
    public void Every_envelope_has_the_addressing_and_wsman_headers()
    {
        foreach (var (document, action, hasSelector) in new[]
        {
            (WsManEnvelope.Create(To, Options, WinRmShellOptions.Default), WsManNames.ActionCreate, false),
            (WsManEnvelope.Command(To, Options, "SHELL-1", "cmd.exe", ["/c", "echo hi"]), WsManNames.ActionCommand, true),
            (WsManEnvelope.Send(To, Options, "SHELL-1", "CMD-1", "x"u8, true), WsManNames.ActionSend, true),
            (WsManEnvelope.Receive(To, Options, "SHELL-1", "CMD-1"), WsManNames.ActionReceive, true),
            (WsManEnvelope.Signal(To, Options, "SHELL-1", "CMD-1", WinRmSignal.Terminate), WsManNames.ActionSignal, true),
            (WsManEnvelope.Delete(To, Options, "SHELL-1"), WsManNames.ActionDelete, true),
        })
        {
            // Round-trip through the bytes that go on the wire.
            var parsed = XDocument.Parse(Encoding.UTF8.GetString(WsManEnvelope.ToBytes(document)));
            var header = parsed.Root!.Element(S + "Header")!;
            Assert.Equal(To.ToString(), header.Element(A + "To")!.Value);
            Assert.Equal(WsManNames.AnonymousAddress, header.Element(A + "ReplyTo")!.Element(A + "Address")!.Value);
            Assert.Equal(action, header.Element(A + "Action")!.Value);
            Assert.Equal("true", (string?)header.Element(A + "Action")!.Attribute(S + "mustUnderstand"));
            Assert.Matches("^uuid:[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$", header.Element(A + "MessageID")!.Value);
            Assert.Equal(WsManNames.CmdResourceUri, header.Element(W + "ResourceURI")!.Value);
            Assert.Equal("153600", header.Element(W + "MaxEnvelopeSize")!.Value);
            Assert.Equal("true", (string?)header.Element(W + "MaxEnvelopeSize")!.Attribute(S + "mustUnderstand"));
            Assert.Equal("PT20.000S", header.Element(W + "OperationTimeout")!.Value);
            Assert.Equal("en-US", (string?)header.Element(W + "Locale")!.Attribute(XNamespace.Xml + "lang"));
            Assert.Equal("en-US", (string?)header.Element(P + "DataLocale")!.Attribute(XNamespace.Xml + "lang"));
            var selector = header.Element(W + "SelectorSet")?.Element(W + "Selector");
            if (hasSelector)
            {
                Assert.Equal("ShellId", (string?)selector!.Attribute("Name"));
                Assert.Equal("SHELL-1", selector.Value);
            }
            else
            {
                Assert.Null(selector);
            }
        }
    }

    [Fact]
    public void Message_ids_differ_per_envelope_unless_given()
    {
        var a = WsManEnvelope.Delete(To, Options, "S").Root!.Element(S + "Header")!.Element(A + "MessageID")!.Value;
        var b = WsManEnvelope.Delete(To, Options, "S").Root!.Element(S + "Header")!.Element(A + "MessageID")!.Value;
        var given = WsManEnvelope.Delete(To, Options, "S", "uuid:00000000-0000-0000-0000-000000000001").Root!.Element(S + "Header")!.Element(A + "MessageID")!.Value;

        Assert.NotEqual(a, b);
        Assert.Equal("uuid:00000000-0000-0000-0000-000000000001", given);
    }

    [Fact]
    public void Create_asks_for_stdin_stdout_stderr_the_code_page_no_profile_directory_and_environment()
    {
        var shell = new WinRmShellOptions
        {
            WorkingDirectory = @"C:\Temp",
            Environment = new Dictionary<string, string> { ["A"] = "1 & <2>" },
            IdleTimeout = TimeSpan.FromMinutes(5),
        };

        var document = WsManEnvelope.Create(To, Options, shell);

        var options = document.Root!.Element(S + "Header")!.Element(W + "OptionSet")!;
        Assert.Equal("true", (string?)options.Attribute(S + "mustUnderstand"));
        Assert.Equal("TRUE", Option(options, "WINRS_NOPROFILE"));
        Assert.Equal("65001", Option(options, "WINRS_CODEPAGE"));
        var body = document.Root.Element(S + "Body")!.Element(Rsp + "Shell")!;
        Assert.Equal(@"C:\Temp", body.Element(Rsp + "WorkingDirectory")!.Value);
        var variable = body.Element(Rsp + "Environment")!.Element(Rsp + "Variable")!;
        Assert.Equal("A", (string?)variable.Attribute("Name"));
        Assert.Equal("1 & <2>", variable.Value);
        Assert.Equal("PT300.000S", body.Element(Rsp + "IdleTimeOut")!.Value);
        Assert.Equal("stdin", body.Element(Rsp + "InputStreams")!.Value);
        Assert.Equal("stdout stderr", body.Element(Rsp + "OutputStreams")!.Value);
    }

    [Fact]
    public void Command_puts_each_argument_in_its_own_element()
    {
        var document = WsManEnvelope.Command(To, Options, "S", "powershell.exe", ["-NoProfile", "a \"quoted\" & <arg>"]);

        var line = document.Root!.Element(S + "Body")!.Element(Rsp + "CommandLine")!;
        Assert.Equal("powershell.exe", line.Element(Rsp + "Command")!.Value);
        Assert.Equal(["-NoProfile", "a \"quoted\" & <arg>"], line.Elements(Rsp + "Arguments").Select(e => e.Value));
        Assert.Equal("TRUE", Option(document.Root.Element(S + "Header")!.Element(W + "OptionSet")!, "WINRS_CONSOLEMODE_STDIN"));
    }

    [Fact]
    public void Send_carries_base64_stdin_with_end_only_when_asked()
    {
        var last = WsManEnvelope.Send(To, Options, "S", "C", "abc"u8, true).Root!.Descendants(Rsp + "Stream").Single();
        var more = WsManEnvelope.Send(To, Options, "S", "C", "abc"u8, false).Root!.Descendants(Rsp + "Stream").Single();

        Assert.Equal("stdin", (string?)last.Attribute("Name"));
        Assert.Equal("C", (string?)last.Attribute("CommandId"));
        Assert.Equal("YWJj", last.Value);
        Assert.Equal("true", (string?)last.Attribute("End"));
        Assert.Null(more.Attribute("End"));
    }

    [Fact]
    public void Receive_asks_for_both_streams_of_the_command()
    {
        var desired = WsManEnvelope.Receive(To, Options, "S", "C").Root!.Descendants(Rsp + "DesiredStream").Single();

        Assert.Equal("C", (string?)desired.Attribute("CommandId"));
        Assert.Equal("stdout stderr", desired.Value);
    }

    [Theory]
    [InlineData(WinRmSignal.Terminate, "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate")]
    [InlineData(WinRmSignal.CtrlC, "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c")]
    public void Signal_names_the_command_and_the_code(WinRmSignal signal, string code)
    {
        var element = WsManEnvelope.Signal(To, Options, "S", "C", signal).Root!.Descendants(Rsp + "Signal").Single();

        Assert.Equal("C", (string?)element.Attribute("CommandId"));
        Assert.Equal(code, element.Element(Rsp + "Code")!.Value);
    }

    [Fact]
    public void Delete_has_an_empty_body()
    {
        Assert.Empty(WsManEnvelope.Delete(To, Options, "S").Root!.Element(S + "Body")!.Elements());
    }

    [Fact]
    public void Wire_bytes_have_no_byte_order_mark_or_declaration()
    {
        var bytes = WsManEnvelope.ToBytes(WsManEnvelope.Delete(To, Options, "S"));

        Assert.Equal((byte)'<', bytes[0]);
        Assert.StartsWith("<s:Envelope", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    static string? Option(XElement optionSet, string name) =>
        optionSet.Elements(W + "Option").FirstOrDefault(o => (string?)o.Attribute("Name") == name)?.Value;
}
