using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// PowerShell writes its error stream to a non-console stderr as CLIXML (<c>#&lt; CLIXML</c> then
/// <c>&lt;Objs&gt;&lt;S S="Error"&gt;text_x000D__x000A_&lt;/S&gt;...</c>). This turns it into readable text: error,
/// warning and other message records become their text, progress records are dropped, the <c>_xHHHH_</c> escapes
/// are undone and PowerShell 7's colour codes removed. The executor decodes it line by line as output streams
/// (<see cref="Split"/>, <see cref="DecodeDocument"/>); a finished command's whole stderr goes through <see cref="Decode"/>.
/// </summary>
public static partial class Clixml
{
    public const string Marker = "#< CLIXML";

    static readonly XNamespace Ps = "http://schemas.microsoft.com/powershell/2004/04";

    static readonly HashSet<string> MessageStreams = new(StringComparer.OrdinalIgnoreCase) { "Error", "Warning", "Verbose", "Debug", "Information" };

    /// <summary>
    /// Every CLIXML document in <paramref name="text"/> replaced by its readable lines (each ending in a line break);
    /// text outside the documents is kept. Text without the marker, and text that is not well-formed CLIXML, is
    /// returned unchanged.
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
            if (DecodeDocument(text[start..end]) is not { } lines)
            {
                return text;
            }
            foreach (var line in lines)
            {
                result.Append(line).Append('\n');
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

    /// <summary>The readable lines of one <c>&lt;Objs&gt;</c> document; null when it does not parse (then keep the raw text).</summary>
    public static IReadOnlyList<string>? DecodeDocument(string objs)
    {
        XElement root;
        try
        {
            root = XElement.Parse(objs);
        }
        catch (XmlException)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var element in root.Elements())
        {
            if ((string?)element.Attribute("S") is not { } stream || !MessageStreams.Contains(stream))
            {
                continue; // progress records and the like are not output
            }
            // A string record holds its text; an object (an ErrorRecord) its <ToString>.
            var isString = element.Name.LocalName == "S";
            text.Append(Unescape(isString ? element.Value : element.Element(Ps + "ToString")?.Value ?? ""));
            if (!isString)
            {
                text.Append('\n');
            }
        }
        // PowerShell 7 colours error records before it serializes them, whatever $PSStyle.OutputRendering says.
        var decoded = Ansi().Replace(text.ToString(), "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        return decoded.Length == 0 ? [] : decoded.Split('\n');
    }

    /// <summary>The <c>&lt;Objs&gt;...&lt;/Objs&gt;</c> documents in a line and the text around them, in order.</summary>
    public static IEnumerable<(bool IsObjs, string Text)> Split(string line)
    {
        var at = 0;
        while (at < line.Length)
        {
            var start = line.IndexOf("<Objs", at, StringComparison.Ordinal);
            var end = start < 0 ? -1 : line.IndexOf("</Objs>", start, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                yield return (false, line[at..]);
                yield break;
            }
            if (start > at)
            {
                yield return (false, line[at..start]);
            }
            yield return (true, line[start..(end + "</Objs>".Length)]);
            at = end + "</Objs>".Length;
        }
    }

    /// <summary>Undoes PowerShell's XML escapes of characters XML cannot hold (<c>_x000A_</c> and so on).</summary>
    public static string Unescape(string value) =>
        Escape().Replace(value, m => ((char)int.Parse(m.Groups[1].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex Escape();

    [GeneratedRegex("\u001b\\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex Ansi();
}
