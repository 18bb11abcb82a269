using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// PowerShell writes its error stream to a non-console stderr as CLIXML (<c>#&lt; CLIXML</c> then
/// <c>&lt;Objs&gt;&lt;S S="Error"&gt;text_x000D__x000A_&lt;/S&gt;...</c>). This turns it into the readable text.
/// </summary>
public static class Clixml
{
    public const string Marker = "#< CLIXML";

    static readonly XNamespace Ps = "http://schemas.microsoft.com/powershell/2004/04";

    /// <summary>
    /// The Error (and Warning) strings of every CLIXML document in <paramref name="text"/>, joined, with the
    /// <c>_xHHHH_</c> escapes decoded; progress records are dropped. Text without the marker, and text that is not
    /// well-formed CLIXML, is returned unchanged. Text outside the documents is kept.
    /// </summary>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }
        var result = new StringBuilder();
        result.Append(text, 0, at);
        var rest = at;
        while (rest < text.Length)
        {
            var marker = text.IndexOf(Marker, rest, StringComparison.Ordinal);
            if (marker < 0)
            {
                result.Append(text, rest, text.Length - rest);
                break;
            }
            result.Append(text, rest, marker - rest);
            var start = text.IndexOf("<Objs", marker, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf("</Objs>", start, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                return text;
            }
            end += "</Objs>".Length;
            if (!TryDecodeDocument(text[start..end], result))
            {
                return text;
            }
            rest = end;
            // The line break after a document belongs to the framing.
            if (rest < text.Length && text[rest] == '\r')
            {
                rest++;
            }
            if (rest < text.Length && text[rest] == '\n')
            {
                rest++;
            }
        }
        return result.ToString();
    }

    static bool TryDecodeDocument(string xml, StringBuilder into)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return false;
        }
        foreach (var s in root.Elements().Where(e => e.Name.LocalName == "S"))
        {
            var stream = (string?)s.Attribute("S");
            if (stream is "Error" or "Warning" or "error" or "warning")
            {
                into.Append(Unescape(s.Value));
            }
        }
        return true;
    }

    /// <summary>Decodes <c>_xHHHH_</c> escapes (PowerShell's serializer uses XML name encoding for control characters).</summary>
    public static string Unescape(string value) => value.Contains("_x", StringComparison.Ordinal) ? XmlConvert.DecodeName(value) : value;
}
