using System.Text;

namespace OpsConductor.Shared.Scripting;

/// <summary>
/// Parameters in PowerShell scripts. Values reach the script as variables the bootstrap defines before
/// it runs (<see cref="PowerShellBootstrap"/>): a placeholder in code, in <c>"..."</c>, in <c>@"..."@</c> or in a
/// <c>$( )</c> becomes <c>${OPSC_P_name}</c>, which expands to the value and is never parsed again; so does
/// <c>'{{name}}'</c> alone. Inside a longer <c>'...'</c> nothing expands, so the value is put there with every
/// single-quote character doubled.
/// <c>@'...'@</c> and <c>${...}</c> names are refused.
/// </summary>
public static class PowerShellScript
{
    public const string VariablePrefix = "OPSC_P_";

    enum Frame
    {
        Code,
        SubExpression,
        Single,
        Double,
        VerbatimHere,
        ExpandableHere,
        BlockComment,
        LineComment,
        BracedVariable,
    }

    sealed class Open(Frame kind, int start = 0)
    {
        public Frame Kind { get; } = kind;
        public int Start { get; } = start;
        public int Depth { get; set; }
    }

    public static IReadOnlyList<Placeholder> Scan(string script)
    {
        var found = new List<Placeholder>();
        var cursor = new PlaceholderCursor(script);
        var stack = new Stack<Open>();
        stack.Push(new Open(Frame.Code));
        var i = 0;
        while (i < script.Length)
        {
            var top = stack.Peek();
            var lineStart = i == 0 || script[i - 1] == '\n';
            // A here-string ends only at a line that starts (column 0) with its quote and '@'.
            if (lineStart && i + 1 < script.Length && script[i + 1] == '@'
                && (top.Kind == Frame.VerbatimHere && IsSingleQuote(script[i]) || top.Kind == Frame.ExpandableHere && IsDoubleQuote(script[i])))
            {
                stack.Pop();
                i += 2;
                continue;
            }
            if (cursor.At(i, () => ContextOf(top.Kind)) is { } placeholder)
            {
                i += placeholder.Length;
                if (top.Kind == Frame.Single && top.Start == placeholder.Index - 1 && IsWholeString(script, i))
                {
                    // '{{name}}' alone: the whole string becomes the variable, valid in code whatever the quotes were.
                    stack.Pop();
                    placeholder = placeholder with { Index = top.Start, Length = placeholder.Length + 2, Context = PlaceholderContext.PowerShellCode };
                    i++;
                }
                found.Add(placeholder);
                continue;
            }
            var c = script[i];
            switch (top.Kind)
            {
                case Frame.Code or Frame.SubExpression:
                    i = Code(script, i, stack);
                    break;
                case Frame.Single:
                    i = IsSingleQuote(c) ? Close(script, i, stack, IsSingleQuote) : i + 1;
                    break;
                case Frame.Double:
                    i = IsDoubleQuote(c) ? Close(script, i, stack, IsDoubleQuote) : Expansion(script, i, stack);
                    break;
                case Frame.ExpandableHere:
                    i = Expansion(script, i, stack);
                    break;
                case Frame.BlockComment:
                    i = Pops(stack, ScriptTemplate.At(script, i, "#>"), i, 2);
                    break;
                case Frame.LineComment:
                    i = c == '\n' ? Pops(stack, true, i, 1) : i + 1;
                    break;
                case Frame.BracedVariable:
                    i = c == '`' ? i + 2 : Pops(stack, c == '}', i, 1);
                    break;
                default:
                    i++;
                    break;
            }
        }
        return found;
    }

    public static string? Refusal(PlaceholderContext context) => context switch
    {
        PlaceholderContext.PowerShellVerbatimHereString =>
            "it is inside a verbatim here-string (@'...'@), where nothing expands; use @\"...\"@ to get the value there",
        PlaceholderContext.PowerShellBracedVariable =>
            "it is inside a ${...} variable name; build the name in code instead (Get-Variable -Name {{name}})",
        _ => null,
    };

    /// <summary>The script with each placeholder replaced; the values themselves travel beside it (<see cref="PowerShellBootstrap.Input"/>).</summary>
    public static string Render(string script, IReadOnlyDictionary<string, string> values)
    {
        return ScriptTemplate.Replace(script, Scan(script), values, (p, _) => Refusal(p.Context), (p, value) => p.Context == PlaceholderContext.PowerShellSingleQuoted
            ? DoublingSingleQuotes(value)
            : "${" + VariablePrefix + p.Name + "}");
    }

    /// <summary>PowerShell treats the typographic quotes as quote characters too.</summary>
    public static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    public static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    static string DoublingSingleQuotes(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            sb.Append(c);
            if (IsSingleQuote(c))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    static PlaceholderContext ContextOf(Frame frame) => frame switch
    {
        Frame.Single => PlaceholderContext.PowerShellSingleQuoted,
        Frame.Double => PlaceholderContext.PowerShellDoubleQuoted,
        Frame.ExpandableHere => PlaceholderContext.PowerShellExpandableHereString,
        Frame.VerbatimHere => PlaceholderContext.PowerShellVerbatimHereString,
        Frame.BracedVariable => PlaceholderContext.PowerShellBracedVariable,
        Frame.BlockComment or Frame.LineComment => PlaceholderContext.PowerShellComment,
        _ => PlaceholderContext.PowerShellCode,
    };

    static int Code(string s, int i, Stack<Open> stack)
    {
        var c = s[i];
        var top = stack.Peek();
        if (c == '`')
        {
            return i + 2;
        }
        if (c == '@' && i + 1 < s.Length && (IsSingleQuote(s[i + 1]) || IsDoubleQuote(s[i + 1])) && RestOfLineIsBlank(s, i + 2, out var body))
        {
            stack.Push(new Open(IsSingleQuote(s[i + 1]) ? Frame.VerbatimHere : Frame.ExpandableHere));
            return body;
        }
        if (IsSingleQuote(c))
        {
            stack.Push(new Open(Frame.Single, i));
            return i + 1;
        }
        if (IsDoubleQuote(c))
        {
            stack.Push(new Open(Frame.Double));
            return i + 1;
        }
        if (ScriptTemplate.At(s, i, "<#"))
        {
            stack.Push(new Open(Frame.BlockComment));
            return i + 2;
        }
        if (c == '#' && StartsComment(s, i))
        {
            stack.Push(new Open(Frame.LineComment));
            return i + 1;
        }
        if (top.Kind == Frame.SubExpression && c is '(' or ')')
        {
            if (c == ')' && top.Depth == 0)
            {
                stack.Pop();
            }
            else
            {
                top.Depth += c == '(' ? 1 : -1;
            }
            return i + 1;
        }
        return Expansion(s, i, stack);
    }

    /// <summary>What also works inside expandable strings: escapes, <c>$( )</c> and <c>${ }</c>.</summary>
    static int Expansion(string s, int i, Stack<Open> stack)
    {
        if (s[i] == '`')
        {
            return i + 2;
        }
        var frame = ScriptTemplate.At(s, i, "$(") ? Frame.SubExpression : ScriptTemplate.At(s, i, "${") ? Frame.BracedVariable : (Frame?)null;
        if (frame is { } opened)
        {
            stack.Push(new Open(opened));
            return i + 2;
        }
        return i + 1;
    }

    /// <summary>A quote closes its string unless another quote follows (two quotes are one literal quote).</summary>
    static int Close(string s, int i, Stack<Open> stack, Func<char, bool> isQuote)
    {
        if (i + 1 < s.Length && isQuote(s[i + 1]))
        {
            return i + 2;
        }
        stack.Pop();
        return i + 1;
    }

    static int Pops(Stack<Open> stack, bool pops, int i, int length)
    {
        if (!pops)
        {
            return i + 1;
        }
        stack.Pop();
        return i + length;
    }

    /// <summary>
    /// As PowerShell's tokenizer: '#' starts a comment except inside a bare word (Write-Output a#b),
    /// so also right after a string, a parenthesis, a brace, a comma, a number or a variable.
    /// </summary>
    static bool StartsComment(string s, int i)
    {
        var start = i;
        while (start > 0 && IsWordChar(s[start - 1]))
        {
            start--;
        }
        if (start == i || s[start] == '$')
        {
            return true;
        }
        // A number ends before '#' in expression mode ($n = 1# note) but is part of a bare word as an argument (Write-Output 42#x).
        return !s.AsSpan(start, i - start).ContainsAnyExceptInRange('0', '9') && ExpressionBefore(s, start);
    }

    static bool ExpressionBefore(string s, int i)
    {
        while (i > 0 && s[i - 1] is ' ' or '\t')
        {
            i--;
        }
        return i == 0 || s[i - 1] is '\n' or '=' or '(' or ',' or '+' or '-' or '*' or '/' or '%' or '[' or '{' or ';' or '|' or '&' or '!' or '<' or '>';
    }

    static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '\\' or '/' or ':' or '=' or '+' or '*' or '?' or '!' or '%' or '~' or '@' or '[' or ']' or '^' or '$';

    /// <summary>True when a single quote closes the string at i (not two, which are one literal quote).</summary>
    static bool IsWholeString(string s, int i) => i < s.Length && IsSingleQuote(s[i]) && !(i + 1 < s.Length && IsSingleQuote(s[i + 1]));

    static bool RestOfLineIsBlank(string s, int i, out int next)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r')
        {
            i++;
        }
        next = i + 1;
        return i < s.Length && s[i] == '\n';
    }

}
