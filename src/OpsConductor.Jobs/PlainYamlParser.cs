using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OpsConductor.Jobs;

/// <summary>
/// A YAML parser that refuses what a job never needs and an attacker would: anchors and aliases (a few hundred
/// bytes of nested aliases expand to gigabytes once converted) and the non-finite numbers <c>.nan</c> and
/// <c>.inf</c> (JSON has no such value). It refuses while reading, before any node is built, and names the line.
/// </summary>
public sealed partial class PlainYamlParser(IParser inner) : IParser
{
    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NonFinite();

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }
        switch (inner.Current)
        {
            case AnchorAlias alias:
                throw Refuse(alias, "aliases (*name) are not allowed in a job file");
            case NodeEvent { Anchor.IsEmpty: false } node:
                throw Refuse(node, "anchors (&name) are not allowed in a job file");
            case YamlDotNet.Core.Events.Scalar { Style: ScalarStyle.Plain } scalar when NonFinite().IsMatch(scalar.Value):
                throw Refuse(scalar, $"'{scalar.Value}' is not allowed: numbers must be finite");
        }
        return true;
    }

    static RefusedYamlException Refuse(ParsingEvent at, string why) =>
        new(at.Start, at.End, $"Line {at.Start.Line}: {why}.");
}
