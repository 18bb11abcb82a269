using System.Text;

namespace OpsConductor.Shared.Scripting;

/// <summary>
/// Parameters in POSIX shell scripts. Values never become script text: each one is defined once at the
/// top of the script as a single-quoted shell variable (<c>OPSC_P_name='...'</c>, safe by construction),
/// and every placeholder becomes a reference to that variable written for the context it stands in.
/// A small lexer finds the contexts: quotes, <c>$'...'</c>, <c>$( )</c>, backticks, <c>${ }</c>,
/// <c>$(( ))</c>, <c>(( ))</c>, comments and heredoc bodies.
/// </summary>
public static class PosixScript
{
    public const string VariablePrefix = "OPSC_P_";

    enum Frame
    {
        Code,
        Command,
        Backtick,
        Single,
        AnsiC,
        Double,
        Param,
        Arith,
        Heredoc,
        QuotedHeredoc,
        Comment,
    }

    sealed class Open(Frame kind)
    {
        public Frame Kind { get; } = kind;
        public int Depth { get; set; }
        public string Delimiter { get; init; } = "";
        public bool StripTabs { get; init; }
    }

    /// <summary>What opens an expansion, longest first.</summary>
    static readonly (string Text, Frame Frame)[] Expansions = [("$((", Frame.Arith), ("$(", Frame.Command), ("${", Frame.Param)];

    sealed record PendingHeredoc(string Delimiter, bool StripTabs, bool Quoted);

    public static IReadOnlyList<Placeholder> Scan(string script)
    {
        var found = new List<Placeholder>();
        var cursor = new PlaceholderCursor(script);
        var stack = new Stack<Open>();
        stack.Push(new Open(Frame.Code));
        var pending = new Queue<PendingHeredoc>();
        var i = 0;
        while (i < script.Length)
        {
            var top = stack.Peek();
            if (top.Kind is Frame.Heredoc or Frame.QuotedHeredoc && (i == 0 || script[i - 1] == '\n') && EndsHeredoc(script, i, top, out var after))
            {
                stack.Pop();
                i = after;
                if (i <= script.Length && pending.Count > 0)
                {
                    stack.Push(Body(pending.Dequeue()));
                }
                continue;
            }
            if (cursor.At(i, () => ContextOf(stack)) is { } placeholder)
            {
                found.Add(placeholder);
                i += placeholder.Length;
                continue;
            }
            var c = script[i];
            switch (top.Kind)
            {
                case Frame.Code or Frame.Command or Frame.Backtick:
                    i = Code(script, i, stack, pending);
                    break;
                case Frame.Single:
                    i = Closes(stack, c == '\'', i);
                    break;
                case Frame.AnsiC:
                    i = c == '\\' ? i + 2 : Closes(stack, c == '\'', i);
                    break;
                case Frame.Double:
                    i = c == '"' ? Closes(stack, true, i) : Expansion(script, i, stack);
                    break;
                case Frame.Heredoc:
                    i = Expansion(script, i, stack);
                    break;
                case Frame.Param:
                    if (c == '}' && top.Depth == 0)
                    {
                        stack.Pop();
                        i++;
                    }
                    else
                    {
                        top.Depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                        i = Quote(script, i, stack) ?? Expansion(script, i, stack);
                    }
                    break;
                case Frame.Arith:
                    if (c == ')' && top.Depth == 0 && ScriptTemplate.At(script, i, "))"))
                    {
                        stack.Pop();
                        i += 2;
                    }
                    else
                    {
                        top.Depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                        i = Quote(script, i, stack) ?? Expansion(script, i, stack);
                    }
                    break;
                case Frame.Comment:
                    if (c == '\n')
                    {
                        stack.Pop();
                    }
                    else
                    {
                        i++;
                    }
                    break;
                default:
                    i++;
                    break;
            }
        }
        return found;
    }

    /// <summary>Why a value cannot stand here, or null when it can. Only integers may go where bash does arithmetic.</summary>
    public static string? Refusal(PlaceholderContext context, bool integer) => context switch
    {
        PlaceholderContext.QuotedHeredoc =>
            "it is inside a heredoc with a quoted delimiter (<<'EOF'), where nothing expands; use an unquoted delimiter (<<EOF) to get the value there",
        PlaceholderContext.Arithmetic when !integer =>
            "it is inside $(( )) or (( )), where bash evaluates text as code (a[$(cmd)] runs cmd); only int parameters can go there",
        PlaceholderContext.ParameterExpansion when !integer =>
            "it is inside ${ }, where bash can evaluate it as an arithmetic subscript; assign it to a variable first (v={{name}}) and use $v there, or make the parameter an int",
        _ => null,
    };

    /// <summary>The script with a prologue defining every referenced value and each placeholder replaced by a reference.</summary>
    public static string Render(string script, IReadOnlyDictionary<string, string> values)
    {
        var placeholders = Scan(script);
        var text = ScriptTemplate.Replace(script, placeholders, values, (p, value) => Refusal(p.Context, ScriptTemplate.IsInteger(value)), (p, _) =>
        {
            var variable = "${" + VariablePrefix + p.Name + "}";
            return p.Context switch
            {
                PlaceholderContext.DoubleQuoted or PlaceholderContext.Heredoc or PlaceholderContext.Arithmetic or PlaceholderContext.ParameterExpansion => variable,
                PlaceholderContext.SingleQuoted => "'\"" + variable + "\"'",
                PlaceholderContext.AnsiCQuoted => "'\"" + variable + "\"$'",
                _ => "\"" + variable + "\"",
            };
        });

        var prologue = new StringBuilder();
        foreach (var name in placeholders.Select(p => p.Name).Distinct().Order(StringComparer.Ordinal))
        {
            prologue.Append(VariablePrefix).Append(name).Append('=').Append(Quote(values[name])).Append('\n');
        }
        if (!text.StartsWith("#!", StringComparison.Ordinal))
        {
            return prologue + text;
        }
        var firstLine = text.IndexOf('\n');
        return firstLine < 0 ? text + "\n" + prologue : text.Insert(firstLine + 1, prologue.ToString());
    }

    /// <summary>One single-quoted word: a quote inside becomes <c>'\''</c>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    static PlaceholderContext ContextOf(Stack<Open> stack)
    {
        // The stack enumerates innermost first; anything nested in ${ } or arithmetic counts as that.
        if (stack.Any(f => f.Kind == Frame.Arith))
        {
            return PlaceholderContext.Arithmetic;
        }
        if (stack.Any(f => f.Kind == Frame.Param))
        {
            return PlaceholderContext.ParameterExpansion;
        }
        return stack.Peek().Kind switch
        {
            Frame.Command => PlaceholderContext.CommandSubstitution,
            Frame.Backtick => PlaceholderContext.Backticks,
            Frame.Single => PlaceholderContext.SingleQuoted,
            Frame.AnsiC => PlaceholderContext.AnsiCQuoted,
            Frame.Double => PlaceholderContext.DoubleQuoted,
            Frame.Heredoc => PlaceholderContext.Heredoc,
            Frame.QuotedHeredoc => PlaceholderContext.QuotedHeredoc,
            Frame.Comment => PlaceholderContext.Comment,
            _ => PlaceholderContext.Unquoted,
        };
    }

    /// <summary>One step in code (top level, <c>$( )</c> or backticks).</summary>
    static int Code(string s, int i, Stack<Open> stack, Queue<PendingHeredoc> pending)
    {
        var top = stack.Peek();
        var c = s[i];
        if (Quote(s, i, stack) is { } quoted)
        {
            return quoted;
        }
        if (c == '(' && WordStart(s, i) && ScriptTemplate.At(s, i, "(("))
        {
            stack.Push(new Open(Frame.Arith));
            return i + 2;
        }
        if (c == '(' && top.Kind == Frame.Command)
        {
            top.Depth++;
            return i + 1;
        }
        if (c == ')' && top.Kind == Frame.Command)
        {
            if (top.Depth == 0)
            {
                stack.Pop();
            }
            else
            {
                top.Depth--;
            }
            return i + 1;
        }
        if (c == '#' && WordStart(s, i))
        {
            stack.Push(new Open(Frame.Comment));
            return i + 1;
        }
        if (c == '<' && ScriptTemplate.At(s, i, "<<") && !ScriptTemplate.At(s, i, "<<<"))
        {
            return HeredocOperator(s, i + 2, pending);
        }
        if (c == '\n' && pending.Count > 0)
        {
            stack.Push(Body(pending.Dequeue()));
            return i + 1;
        }
        return Expansion(s, i, stack);
    }

    /// <summary>Opens a quote at i, or null when there is none.</summary>
    static int? Quote(string s, int i, Stack<Open> stack)
    {
        switch (s[i])
        {
            case '\'':
                stack.Push(new Open(Frame.Single));
                return i + 1;
            case '"':
                stack.Push(new Open(Frame.Double));
                return i + 1;
            case '$' when ScriptTemplate.At(s, i, "$'"):
                stack.Push(new Open(Frame.AnsiC));
                return i + 2;
            default:
                return null;
        }
    }

    /// <summary>What expands inside double quotes, heredocs and code: backslash, <c>$(( ))</c>, <c>$( )</c>, <c>${ }</c>, backticks.</summary>
    static int Expansion(string s, int i, Stack<Open> stack)
    {
        if (s[i] == '\\')
        {
            return i + 2;
        }
        foreach (var (text, frame) in Expansions)
        {
            if (ScriptTemplate.At(s, i, text))
            {
                stack.Push(new Open(frame));
                return i + text.Length;
            }
        }
        if (s[i] == '`')
        {
            if (stack.Any(f => f.Kind == Frame.Backtick))
            {
                while (stack.Pop().Kind != Frame.Backtick)
                {
                }
            }
            else
            {
                stack.Push(new Open(Frame.Backtick));
            }
        }
        return i + 1;
    }

    static int Closes(Stack<Open> stack, bool closes, int i)
    {
        if (closes)
        {
            stack.Pop();
        }
        return i + 1;
    }

    /// <summary>Reads the delimiter word after <c>&lt;&lt;</c> or <c>&lt;&lt;-</c>; any quoting in it makes the body verbatim.</summary>
    static int HeredocOperator(string s, int i, Queue<PendingHeredoc> pending)
    {
        var strip = i < s.Length && s[i] == '-';
        if (strip)
        {
            i++;
        }
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
        var word = new StringBuilder();
        var quoted = false;
        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not (';' or '&' or '|' or '<' or '>' or '(' or ')'))
        {
            var c = s[i];
            if (c is '\'' or '"')
            {
                quoted = true;
                var end = s.IndexOf(c, i + 1);
                end = end < 0 ? s.Length : end;
                word.Append(s, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '\\' && i + 1 < s.Length)
            {
                quoted = true;
                word.Append(s[i + 1]);
                i += 2;
            }
            else
            {
                word.Append(c);
                i++;
            }
        }
        if (word.Length > 0)
        {
            pending.Enqueue(new PendingHeredoc(word.ToString(), strip, quoted));
        }
        return Math.Min(i, s.Length);
    }

    static Open Body(PendingHeredoc heredoc) =>
        new(heredoc.Quoted ? Frame.QuotedHeredoc : Frame.Heredoc) { Delimiter = heredoc.Delimiter, StripTabs = heredoc.StripTabs };

    static bool EndsHeredoc(string s, int i, Open body, out int after)
    {
        var end = s.IndexOf('\n', i);
        var lineEnd = end < 0 ? s.Length : end;
        var start = i;
        while (body.StripTabs && start < lineEnd && s[start] == '\t')
        {
            start++;
        }
        after = end < 0 ? s.Length : end + 1;
        return s.AsSpan(start, lineEnd - start).SequenceEqual(body.Delimiter);
    }

    static bool WordStart(string s, int i) => i == 0 || char.IsWhiteSpace(s[i - 1]) || s[i - 1] is ';' or '&' or '|' or '(' or ')';

}
