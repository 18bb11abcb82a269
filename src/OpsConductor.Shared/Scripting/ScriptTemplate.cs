using System.Text;
using System.Text.RegularExpressions;

namespace OpsConductor.Shared.Scripting;

public enum ShellQuoting
{
    /// <summary>POSIX sh: single quotes, a quote inside becomes <c>'\''</c>.</summary>
    Posix,

    /// <summary>PowerShell: single-quoted verbatim string, every kind of single quote doubled.</summary>
    PowerShell,
}

/// <summary>
/// <c>{{name}}</c> references in scripts. A value is always inserted as one quoted literal for the
/// target's shell, so no parameter value can inject a command.
/// </summary>
public static partial class ScriptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Reference();

    public static IReadOnlySet<string> References(string script) =>
        Reference().Matches(script).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    public static string Render(string script, IReadOnlyDictionary<string, string> values, ShellQuoting quoting) =>
        Reference().Replace(script, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? Quote(value, quoting)
            : throw new InvalidOperationException($"The script references the undefined parameter '{m.Groups[1].Value}'."));

    public static string Quote(string value, ShellQuoting quoting) => quoting switch
    {
        ShellQuoting.PowerShell => QuotePowerShell(value),
        _ => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'",
    };

    static string QuotePowerShell(string value)
    {
        // PowerShell treats the typographic single quotes as quote characters too: double every one.
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            sb.Append(c);
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                sb.Append(c);
            }
        }
        return sb.Append('\'').ToString();
    }
}
