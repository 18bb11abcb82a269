using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Reads WS-Management responses: the ShellId of a Create, the CommandId of a Command, the rsp:Stream chunks and
/// CommandState of a Receive, and SOAP faults (as <see cref="WinRmFaultException"/>).
/// </summary>
public static class WsManResponse
{
    static readonly XNamespace S = WsManNames.Soap;
    static readonly XNamespace W = WsManNames.WsMan;
    static readonly XNamespace Rsp = WsManNames.Shell;

    /// <summary>Parses a SOAP envelope; anything else is a <see cref="WinRmFailureKind.ProtocolError"/>.</summary>
    public static XDocument Load(ReadOnlySpan<byte> utf8)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(utf8.ToArray()), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The server's answer is not XML, so not WS-Management.", e);
        }
        return Validate(document);
    }

    /// <summary>Parses a SOAP envelope from text; anything else is a <see cref="WinRmFailureKind.ProtocolError"/>.</summary>
    public static XDocument Load(string xml) => Load(System.Text.Encoding.UTF8.GetBytes(xml));

    static XDocument Validate(XDocument document)
    {
        if (document.Root?.Name != S + "Envelope" || document.Root.Element(S + "Body") is null)
        {
            throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The server's answer is XML but not a SOAP 1.2 envelope.");
        }
        return document;
    }

    /// <summary>The s:Body element.</summary>
    public static XElement Body(XDocument document) => document.Root!.Element(S + "Body")!;

    /// <summary>The wsa:Action of the header, if any.</summary>
    public static string? Action(XDocument document) =>
        document.Root?.Element(S + "Header")?.Element(WsManNames.Addressing + "Action")?.Value.Trim();

    /// <summary>The s:Fault in the body as an exception, or null when the envelope is not a fault.</summary>
    public static WinRmFaultException? Fault(XDocument document)
    {
        var fault = Body(document).Element(S + "Fault");
        if (fault is null)
        {
            return null;
        }
        var code = fault.Element(S + "Code");
        var codeValue = code?.Element(S + "Value")?.Value.Trim() ?? "s:Receiver";
        var subcode = code?.Element(S + "Subcode")?.Element(S + "Value")?.Value.Trim();
        var wsManFault = fault.Element(S + "Detail")?.Element(WsManNames.WsManFault + "WSManFault");
        uint? wsManCode = null;
        if (wsManFault?.Attribute("Code")?.Value is { } c && uint.TryParse(c.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            wsManCode = parsed;
        }
        var reason = fault.Element(S + "Reason")?.Elements(S + "Text").FirstOrDefault()?.Value;
        var message = wsManFault?.Element(WsManNames.WsManFault + "Message")?.Value;
        // The reason is often generic ("invalid selectors"); the WSManFault message says which (command not found).
        var cleanReason = Clean(reason);
        var cleanMessage = Clean(message);
        var text = (cleanReason, cleanMessage) switch
        {
            (null, null) => "(no reason given)",
            (null, { } m) => m,
            ({ } r, null) => r,
            ({ } r, { } m) when r == m || r.Contains(m, StringComparison.Ordinal) => r,
            ({ } r, { } m) => r + " " + m,
        };
        return new WinRmFaultException(codeValue, subcode, wsManCode, text);
    }

    /// <summary>Throws the envelope's fault, if it is one.</summary>
    public static void ThrowIfFault(XDocument document)
    {
        if (Fault(document) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>The ShellId a Create answered (rsp:Shell/rsp:ShellId, or the ShellId selector of the ResourceCreated EPR).</summary>
    public static string ShellId(XDocument document)
    {
        ThrowIfFault(document);
        var body = Body(document);
        var id = body.Element(Rsp + "Shell")?.Element(Rsp + "ShellId")?.Value
            ?? body.Descendants(W + "Selector").FirstOrDefault(e => (string?)e.Attribute("Name") == "ShellId")?.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The Create response names no ShellId.");
        }
        return id.Trim();
    }

    /// <summary>The CommandId a Command answered (rsp:CommandResponse/rsp:CommandId).</summary>
    public static string CommandId(XDocument document)
    {
        ThrowIfFault(document);
        var id = Body(document).Element(Rsp + "CommandResponse")?.Element(Rsp + "CommandId")?.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The Command response names no CommandId.");
        }
        return id.Trim();
    }

    /// <summary>
    /// The output of one ReceiveResponse in order (base64-decoded; empty End="true" chunks left out), and whether the
    /// command is Done with its exit code. Streams of other commands (by CommandId) are ignored. A fault is thrown,
    /// w:TimedOut included (the caller turns that into <see cref="WinRmReceiveResult.NothingYet"/>).
    /// </summary>
    public static WinRmReceiveResult Receive(XDocument document, string? commandId = null)
    {
        ThrowIfFault(document);
        var response = Body(document).Element(Rsp + "ReceiveResponse")
            ?? throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "The Receive answer has no rsp:ReceiveResponse.");
        var output = new List<WinRmOutput>();
        foreach (var stream in response.Elements(Rsp + "Stream"))
        {
            if (commandId is not null && (string?)stream.Attribute("CommandId") is { } id && !string.Equals(id, commandId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var name = (string?)stream.Attribute("Name");
            var kind = name switch
            {
                "stdout" => OutputStream.Stdout,
                "stderr" => OutputStream.Stderr,
                _ => (OutputStream?)null,
            };
            if (kind is null)
            {
                continue;
            }
            var text = stream.Value.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            byte[] data;
            try
            {
                data = Convert.FromBase64String(text);
            }
            catch (FormatException e)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError, "A Receive stream is not base64.", e);
            }
            output.Add(new WinRmOutput(kind.Value, data));
        }

        var state = response.Elements(Rsp + "CommandState")
            .FirstOrDefault(e => commandId is null || (string?)e.Attribute("CommandId") is not { } id || string.Equals(id, commandId, StringComparison.OrdinalIgnoreCase));
        var done = state is not null && (string?)state.Attribute("State") == WsManNames.CommandStateDone;
        int? exitCode = null;
        if (state?.Element(Rsp + "ExitCode")?.Value is { } exit)
        {
            // Windows writes exit codes as unsigned 32-bit (e.g. 4294967295 for -1); keep the bits.
            var trimmed = exit.Trim();
            if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
            {
                exitCode = signed;
            }
            else if (uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
            {
                exitCode = unchecked((int)unsigned);
            }
        }
        return new WinRmReceiveResult(output, done, exitCode);
    }

    /// <summary>True when the fault is the Receive's w:TimedOut ("no output yet").</summary>
    public static bool IsOperationTimeout(WinRmFaultException fault) =>
        fault.WsManCode == WinRmFaultException.OperationTimeoutCode
        || (fault.Subcode is { } sub && (sub == "w:TimedOut" || sub.EndsWith(":TimedOut", StringComparison.Ordinal)));

    static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }
}
