using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// Builds the SOAP envelopes of the Windows Remote Shell: Create, Command, Send, Receive, Signal, Delete (and an
/// Identify). Every envelope carries WS-Addressing To/ReplyTo/Action/MessageID, the cmd ResourceURI, MaxEnvelopeSize
/// (mustUnderstand), OperationTimeout, Locale and DataLocale; the ShellId selector where the shell exists.
/// </summary>
public static class WsManEnvelope
{
    static readonly XNamespace S = WsManNames.Soap;
    static readonly XNamespace A = WsManNames.Addressing;
    static readonly XNamespace W = WsManNames.WsMan;
    static readonly XNamespace P = WsManNames.WsMv;
    static readonly XNamespace Rsp = WsManNames.Shell;

    /// <summary>rsp:Shell: stdin in, stdout and stderr out, the working directory, environment, code page and profile options.</summary>
    public static XDocument Create(Uri to, WinRmClientOptions options, WinRmShellOptions shell, string? messageId = null)
    {
        var body = new XElement(Rsp + "Shell");
        if (!string.IsNullOrEmpty(shell.WorkingDirectory))
        {
            body.Add(new XElement(Rsp + "WorkingDirectory", shell.WorkingDirectory));
        }
        if (shell.Environment.Count > 0)
        {
            body.Add(new XElement(Rsp + "Environment",
                shell.Environment.Select(kv => new XElement(Rsp + "Variable", new XAttribute("Name", kv.Key), kv.Value))));
        }
        if (shell.IdleTimeout is { } idle)
        {
            body.Add(new XElement(Rsp + "IdleTimeOut", Duration(idle)));
        }
        body.Add(new XElement(Rsp + "InputStreams", "stdin"), new XElement(Rsp + "OutputStreams", "stdout stderr"));

        var optionSet = new XElement(W + "OptionSet", new XAttribute(S + "mustUnderstand", "true"),
            Option(WsManNames.OptionNoProfile, shell.NoProfile ? "TRUE" : "FALSE"),
            Option(WsManNames.OptionCodePage, shell.CodePage.ToString(CultureInfo.InvariantCulture)));
        return Envelope(to, options, WsManNames.ActionCreate, messageId, null, [optionSet], body);
    }

    /// <summary>rsp:CommandLine with the program in rsp:Command and each argument in its own rsp:Arguments.</summary>
    public static XDocument Command(Uri to, WinRmClientOptions options, string shellId, string command, IReadOnlyList<string> arguments, string? messageId = null)
    {
        var optionSet = new XElement(W + "OptionSet", new XAttribute(S + "mustUnderstand", "true"),
            Option(WsManNames.OptionConsoleModeStdin, "TRUE"),
            Option(WsManNames.OptionSkipCmdShell, "FALSE"));
        var body = new XElement(Rsp + "CommandLine",
            new XElement(Rsp + "Command", command),
            arguments.Select(a => new XElement(Rsp + "Arguments", a)));
        return Envelope(to, options, WsManNames.ActionCommand, messageId, shellId, [optionSet], body);
    }

    /// <summary>rsp:Send of bytes to the command's stdin; <paramref name="end"/> sets End="true" (stdin closed).</summary>
    public static XDocument Send(Uri to, WinRmClientOptions options, string shellId, string commandId, ReadOnlySpan<byte> data, bool end, string? messageId = null)
    {
        var stream = new XElement(Rsp + "Stream", new XAttribute("Name", "stdin"), new XAttribute("CommandId", commandId), Convert.ToBase64String(data));
        if (end)
        {
            stream.Add(new XAttribute("End", "true"));
        }
        return Envelope(to, options, WsManNames.ActionSend, messageId, shellId, [], new XElement(Rsp + "Send", stream));
    }

    /// <summary>rsp:Receive of stdout and stderr of one command.</summary>
    public static XDocument Receive(Uri to, WinRmClientOptions options, string shellId, string commandId, string? messageId = null)
    {
        var optionSet = new XElement(W + "OptionSet", new XAttribute(S + "mustUnderstand", "true"), Option(WsManNames.OptionKeepAlive, "TRUE"));
        var body = new XElement(Rsp + "Receive",
            new XElement(Rsp + "DesiredStream", new XAttribute("CommandId", commandId), "stdout stderr"));
        return Envelope(to, options, WsManNames.ActionReceive, messageId, shellId, [optionSet], body);
    }

    /// <summary>rsp:Signal (terminate or ctrl_c) to one command.</summary>
    public static XDocument Signal(Uri to, WinRmClientOptions options, string shellId, string commandId, WinRmSignal signal, string? messageId = null)
    {
        var body = new XElement(Rsp + "Signal", new XAttribute("CommandId", commandId),
            new XElement(Rsp + "Code", WsManNames.SignalUri(signal)));
        return Envelope(to, options, WsManNames.ActionSignal, messageId, shellId, [], body);
    }

    /// <summary>Delete of the shell (empty body).</summary>
    public static XDocument Delete(Uri to, WinRmClientOptions options, string shellId, string? messageId = null) =>
        Envelope(to, options, WsManNames.ActionDelete, messageId, shellId, [], null);

    /// <summary>An authenticated wsmid:Identify (DSP0226 11): the cheapest request that proves the login works.</summary>
    public static XDocument Identify() =>
        new(new XElement(S + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", S.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsmid", WsManNames.Identity.NamespaceName),
            new XElement(S + "Header"),
            new XElement(S + "Body", new XElement(WsManNames.Identity + "Identify"))));

    /// <summary>A new WS-Addressing message id, <c>uuid:</c> and an upper-case GUID as Windows writes them.</summary>
    public static string NewMessageId() => "uuid:" + Guid.NewGuid().ToString("D").ToUpperInvariant();

    /// <summary>The document as UTF-8 bytes without a BOM (and without an XML declaration, as pywinrm sends).</summary>
    public static byte[] ToBytes(XDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings
        {
            Encoding = new System.Text.UTF8Encoding(false),
            OmitXmlDeclaration = true,
            Indent = false,
        }))
        {
            document.Save(writer);
        }
        return stream.ToArray();
    }

    /// <summary>xs:duration in seconds with milliseconds, e.g. PT20.000S.</summary>
    public static string Duration(TimeSpan value) =>
        "PT" + value.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "S";

    static XElement Option(string name, string value) => new(W + "Option", new XAttribute("Name", name), value);

    static XDocument Envelope(Uri to, WinRmClientOptions options, string action, string? messageId, string? shellId, IEnumerable<XElement> extraHeaders, XElement? body)
    {
        var mustUnderstand = new XAttribute(S + "mustUnderstand", "true");
        var header = new XElement(S + "Header",
            new XElement(A + "To", to.ToString()),
            new XElement(A + "ReplyTo", new XElement(A + "Address", new XAttribute(S + "mustUnderstand", "true"), WsManNames.AnonymousAddress)),
            new XElement(A + "Action", mustUnderstand, action),
            new XElement(A + "MessageID", messageId ?? NewMessageId()),
            new XElement(W + "ResourceURI", new XAttribute(S + "mustUnderstand", "true"), WsManNames.CmdResourceUri),
            new XElement(W + "MaxEnvelopeSize", new XAttribute(S + "mustUnderstand", "true"), options.MaxEnvelopeSize.ToString(CultureInfo.InvariantCulture)),
            new XElement(W + "OperationTimeout", Duration(options.OperationTimeout)),
            new XElement(W + "Locale", new XAttribute(S + "mustUnderstand", "false"), new XAttribute(XNamespace.Xml + "lang", options.Locale)),
            new XElement(P + "DataLocale", new XAttribute(S + "mustUnderstand", "false"), new XAttribute(XNamespace.Xml + "lang", options.Locale)));
        if (shellId is not null)
        {
            header.Add(new XElement(W + "SelectorSet", new XElement(W + "Selector", new XAttribute("Name", "ShellId"), shellId)));
        }
        header.Add(extraHeaders);

        return new XDocument(new XElement(S + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", S.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsa", A.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsman", W.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsmv", P.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "rsp", Rsp.NamespaceName),
            header,
            new XElement(S + "Body", body)));
    }
}
