using System.Text;
using System.Text.RegularExpressions;

namespace OpsConductor.Shared.Scripting;

/// <summary>
/// <c>{{name}}</c> parameters in scripts. The dialect's lexer finds the context each placeholder stands
/// in; the value is then delivered so that it arrives byte for byte and can never run as code, or the
/// placement is refused (when the job is saved, and again when it runs).
/// </summary>
public static partial class ScriptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^-?[0-9]{1,19}$")]
    private static partial Regex Integer();

    public static IReadOnlySet<string> References(string script) =>
        Reference().Matches(script).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every placement the dialect cannot make safe, as "line N: ... why" messages. Parameters named in
    /// <paramref name="integers"/> hold validated whole numbers and may also stand where text would be evaluated.
    /// </summary>
    public static IEnumerable<string> Problems(string script, ScriptDialect dialect, IReadOnlySet<string> integers) =>
        Scan(script, dialect)
            .Select(p => (p, why: Refusal(p.Context, integers.Contains(p.Name), dialect)))
            .Where(x => x.why is not null)
            .Select(x => $"line {x.p.Line}: {{{{{x.p.Name}}}}} cannot be used here: {x.why}.");

    public static IReadOnlyList<Placeholder> Scan(string script, ScriptDialect dialect) =>
        dialect == ScriptDialect.PowerShell ? PowerShellScript.Scan(script) : PosixScript.Scan(script);

    /// <summary>
    /// The script to run with its values in place. POSIX: a prologue of variables and references to them.
    /// PowerShell: references to variables the bootstrap defines (see <see cref="PowerShellScript"/>).
    /// Throws <see cref="ScriptRefusedException"/> for a placement that cannot be made safe.
    /// </summary>
    public static string Render(string script, IReadOnlyDictionary<string, string> values, ScriptDialect dialect) =>
        dialect == ScriptDialect.PowerShell ? PowerShellScript.Render(script, values) : PosixScript.Render(script, values);

    static string? Refusal(PlaceholderContext context, bool integer, ScriptDialect dialect) =>
        dialect == ScriptDialect.PowerShell ? PowerShellScript.Refusal(context) : PosixScript.Refusal(context, integer);

    internal static IReadOnlyList<Match> Matches(string script) => Reference().Matches(script);

    internal static bool IsInteger(string value) => Integer().IsMatch(value);

    internal static string ValueOf(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"The script references the undefined parameter '{name}'.");

    internal static bool At(string s, int i, string text) => string.CompareOrdinal(s, i, text, 0, text.Length) == 0;

    /// <summary>The script with each placeholder replaced; a placement <paramref name="refusal"/> names a reason for is refused.</summary>
    internal static string Replace(string script, IReadOnlyList<Placeholder> placeholders, IReadOnlyDictionary<string, string> values,
        Func<Placeholder, string, string?> refusal, Func<Placeholder, string, string> replacement)
    {
        var text = new StringBuilder(script.Length + 64);
        var last = 0;
        foreach (var p in placeholders)
        {
            var value = ValueOf(values, p.Name);
            if (refusal(p, value) is { } why)
            {
                throw new ScriptRefusedException($"line {p.Line}: {{{{{p.Name}}}}} cannot be used here: {why}.");
            }
            text.Append(script, last, p.Index - last).Append(replacement(p, value));
            last = p.Index + p.Length;
        }
        return text.Append(script, last, script.Length - last).ToString();
    }
}
