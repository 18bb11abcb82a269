using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace OpsConductor.Executor.Windows;

/// <summary>
/// Decodes the CLIXML that PowerShell writes to stderr when it is not attached to a console (<c>#&lt; CLIXML</c>
/// followed by <c>&lt;Objs&gt;</c> documents): error records become their text, progress and other records are
/// dropped, and the <c>_xHHHH_</c> escapes are undone.
/// </summary>
public static partial class Clixml
{
    public const string Header = "#< CLIXML";

    const string Ns = "http://schemas.microsoft.com/powershell/2004/04";

    /// <summary>The readable lines of one <c>&lt;Objs&gt;</c> document; null when it does not parse (then the raw text is kept).</summary>
    public static IReadOnlyList<string>? Decode(string objs)
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
            var stream = (string?)element.Attribute("S");
            if (!string.Equals(stream, "Error", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(stream, "Warning", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(stream, "Verbose", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(stream, "Debug", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(stream, "Information", StringComparison.OrdinalIgnoreCase))
            {
                continue; // progress records and the like are not output
            }
            // A string record holds its text; an object (an ErrorRecord) its <ToString>.
            var value = element.Name.LocalName == "S" ? element.Value : element.Element(XName.Get("ToString", Ns))?.Value ?? "";
            text.Append(Unescape(value));
            if (element.Name.LocalName != "S")
            {
                text.Append('\n');
            }
        }
        // PowerShell 7 colours error records before it serializes them, whatever $PSStyle.OutputRendering says.
        var decoded = Ansi().Replace(text.ToString(), "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        return decoded.Length == 0 ? [] : decoded.Split('\n');
    }

    /// <summary>Undoes PowerShell's XML escapes of characters XML cannot hold (<c>_x000A_</c> and so on).</summary>
    public static string Unescape(string value) =>
        Escape().Replace(value, m => ((char)int.Parse(m.Groups[1].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex Escape();

    [GeneratedRegex("\u001b\\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex Ansi();

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
}
