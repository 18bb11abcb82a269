using System.Xml;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.WinRmServer.Soap;

/// <summary>The WS-Addressing and WS-Management headers of one request, and its body.</summary>
public sealed record WsManRequest(
    string Action,
    string MessageId,
    string? ResourceUri,
    IReadOnlyDictionary<string, string> Selectors,
    IReadOnlyDictionary<string, string> Options,
    TimeSpan? OperationTimeout,
    XElement Body)
{
    /// <summary>The pseudo action of a wsmid:Identify request.</summary>
    public const string IdentifyAction = "wsmid:Identify";

    public string? ShellId => Selectors.TryGetValue("ShellId", out var id) ? id : null;

    /// <summary>Parses a SOAP envelope; a fault (malformed XML, a missing header) when it is not one.</summary>
    public static (WsManRequest? Request, WsManFault? Fault) Parse(byte[] body)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            return (null, WsManFault.Malformed(e.Message));
        }
        var envelope = document.Root;
        if (envelope is null || envelope.Name != WsManNames.Soap + "Envelope")
        {
            return (null, WsManFault.Malformed("the root element is not a SOAP 1.2 Envelope"));
        }
        var header = envelope.Element(WsManNames.Soap + "Header");
        var soapBody = envelope.Element(WsManNames.Soap + "Body");
        if (header is null || soapBody is null)
        {
            return (null, WsManFault.Malformed("the Envelope has no Header or no Body"));
        }
        if (soapBody.Element(WsManNames.Identity + "Identify") is not null)
        {
            // wsmid:Identify (DSP0226 11) carries no addressing headers.
            return (new WsManRequest(IdentifyAction, "", null, new Dictionary<string, string>(), new Dictionary<string, string>(), null, soapBody), null);
        }
        var action = header.Element(WsManNames.Addressing + "Action")?.Value.Trim();
        var messageId = header.Element(WsManNames.Addressing + "MessageID")?.Value.Trim();
        if (string.IsNullOrEmpty(messageId))
        {
            return (null, WsManFault.InvalidHeader("a:MessageID"));
        }
        if (string.IsNullOrEmpty(action))
        {
            return (null, WsManFault.InvalidHeader("a:Action"));
        }
        var selectors = header.Element(WsManNames.WsMan + "SelectorSet")?.Elements(WsManNames.WsMan + "Selector")
            .Where(s => s.Attribute("Name") is not null)
            .ToDictionary(s => s.Attribute("Name")!.Value, s => s.Value.Trim(), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var options = header.Element(WsManNames.WsMan + "OptionSet")?.Elements(WsManNames.WsMan + "Option")
            .Where(o => o.Attribute("Name") is not null)
            .GroupBy(o => o.Attribute("Name")!.Value, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        TimeSpan? timeout = null;
        if (header.Element(WsManNames.WsMan + "OperationTimeout")?.Value.Trim() is { Length: > 0 } duration)
        {
            try
            {
                timeout = XmlConvert.ToTimeSpan(duration);
            }
            catch (FormatException)
            {
                return (null, WsManFault.InvalidHeader("w:OperationTimeout is not an xs:duration"));
            }
        }
        var resourceUri = header.Element(WsManNames.WsMan + "ResourceURI")?.Value.Trim();
        return (new WsManRequest(action, messageId, resourceUri, selectors, options, timeout, soapBody), null);
    }
}
