using System.Text;
using System.Xml;
using System.Xml.Linq;
using OpsConductor.Remoting.WinRm;

namespace OpsConductor.WinRmServer.Soap;

/// <summary>
/// A response envelope as Windows writes it: a:Action (the request's action + "Response", or the fault action),
/// a fresh a:MessageID, a:To anonymous, a:RelatesTo the request's MessageID; and the HTTP status.
/// </summary>
public sealed record WsManReply(int HttpStatus, XDocument Document)
{
    static readonly XNamespace S = WsManNames.Soap;
    static readonly XNamespace A = WsManNames.Addressing;

    public static WsManReply Ok(string action, string? relatesTo, params object[] body) => new(200, Envelope(action, relatesTo, body));

    public static WsManReply Fault(WsManFault fault, string? relatesTo, string machine)
    {
        var detail = fault.WsManCode is { } code
            ? new XElement(S + "Detail",
                fault.Detail is null ? null : new XElement(WsManNames.WsMan + "FaultDetail", fault.Detail),
                new XElement(WsManNames.WsManFault + "WSManFault",
                    new XAttribute(XNamespace.Xmlns + "f", WsManNames.WsManFault),
                    new XAttribute("Code", code),
                    new XAttribute("Machine", machine),
                    new XElement(WsManNames.WsManFault + "Message", fault.Message)))
            : null;
        var body = new XElement(S + "Fault",
            new XElement(S + "Code",
                new XElement(S + "Value", fault.Code),
                new XElement(S + "Subcode", new XElement(S + "Value", fault.Subcode))),
            new XElement(S + "Reason", new XElement(S + "Text", new XAttribute(XNamespace.Xml + "lang", "en-US"), fault.Reason ?? fault.Message)),
            detail);
        return new WsManReply(fault.HttpStatus, Envelope(WsManNames.ActionFault, relatesTo, [body]));
    }

    /// <summary>The wsmid:IdentifyResponse Windows gives (protocol version, vendor, product version), without addressing.</summary>
    public static WsManReply Identify()
    {
        XNamespace id = WsManNames.Identity;
        return new WsManReply(200, new XDocument(new XElement(S + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", WsManNames.Soap),
            new XElement(S + "Header"),
            new XElement(S + "Body",
                new XElement(id + "IdentifyResponse",
                    new XAttribute(XNamespace.Xmlns + "wsmid", WsManNames.Identity),
                    new XElement(id + "ProtocolVersion", WsManNames.WsMan.NamespaceName),
                    new XElement(id + "ProductVendor", "Microsoft Corporation"),
                    new XElement(id + "ProductVersion", "OS: 10.0.17763 SP: 0.0 Stack: 3.0"),
                    new XElement(id + "SecurityProfiles",
                        new XElement(id + "SecurityProfileName", "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/spnego-kerberos")))))));
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }))
        {
            Document.Save(writer);
        }
        return stream.ToArray();
    }

    static XDocument Envelope(string action, string? relatesTo, object[] body)
    {
        var header = new XElement(S + "Header",
            new XElement(A + "Action", action),
            new XElement(A + "MessageID", "uuid:" + Guid.NewGuid().ToString("D").ToUpperInvariant()),
            new XElement(A + "To", WsManNames.AnonymousAddress),
            relatesTo is null ? null : new XElement(A + "RelatesTo", relatesTo));
        return new XDocument(new XElement(S + "Envelope",
            new XAttribute(XNamespace.Xml + "lang", "en-US"),
            new XAttribute(XNamespace.Xmlns + "s", WsManNames.Soap),
            new XAttribute(XNamespace.Xmlns + "a", WsManNames.Addressing),
            new XAttribute(XNamespace.Xmlns + "x", WsManNames.Transfer),
            new XAttribute(XNamespace.Xmlns + "w", WsManNames.WsMan),
            new XAttribute(XNamespace.Xmlns + "rsp", WsManNames.Shell),
            new XAttribute(XNamespace.Xmlns + "p", WsManNames.WsMv),
            header,
            new XElement(S + "Body", body)));
    }
}
