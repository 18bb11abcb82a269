using System.Text.RegularExpressions;

namespace OpsConductor.Shared.Scripting;

/// <summary>Walks a script's <c>{{name}}</c> matches in order, for a lexer that asks at each position.</summary>
sealed class PlaceholderCursor(string script)
{
    readonly IReadOnlyList<Match> matches = ScriptTemplate.Matches(script);
    int next;

    /// <summary>The placeholder starting at index i (the lexer has moved past the earlier ones), or null.</summary>
    public Placeholder? At(int i, Func<PlaceholderContext> context)
    {
        while (next < matches.Count && matches[next].Index < i)
        {
            next++;
        }
        if (next >= matches.Count || matches[next].Index != i)
        {
            return null;
        }
        var m = matches[next++];
        return new Placeholder(m.Groups[1].Value, m.Index, m.Length, script.AsSpan(0, i).Count('\n') + 1, context());
    }
}
