using System.Text;
using OpsConductor.Shared.Scripting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// Every context a script can put a <c>{{placeholder}}</c> in, times a list of hostile values, rendered and
/// run on the real shells (sh, bash, dash, pwsh through the real bootstrap): each value arrives byte for
/// byte and the canary file that the values try to create never appears.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class PlaceholderCorpusTests : IDisposable
{
    const string Separator = "#--8<--#";
    readonly string canary = Path.Combine(Path.GetTempPath(), $"opsc-canary-{Guid.NewGuid():N}");

    List<string> Hostile() =>
    [
        "plain",
        "",
        "it's",
        "'; touch " + canary + "; echo '",
        "\"; touch " + canary + "; echo \"",
        "x\"; touch " + canary + "; echo \"",
        "$(touch " + canary + ")",
        "`touch " + canary + "`",
        "${IFS}$(touch${IFS}" + canary + ")",
        "${HOME} $HOME $$ $0 $1 $@ $* $?",
        "a; touch " + canary,
        "a && touch " + canary + " || touch " + canary,
        "line1\nline2; touch " + canary + "\n",
        "\nEOF\ntouch " + canary + "\nEOF\n",
        "EOF",
        "\n'@\ntouch " + canary + "\n@'\n",
        "\n\"@\ntouch " + canary + "\n@\"\n",
        "'@",
        "\"@",
        "\\ \\\\ \\' \\\" \\$ \\` \\n trailing\\",
        "%PATH% %USERPROFILE%",
        "ünïcödé ‘smart’ “quotes” „low“ ‚single‛ 日本語 🚀",
        "’); touch " + canary + "; (‘",
        "”); touch " + canary + "; (“",
        "\"); touch " + canary + "; (\"",
        "'); touch " + canary + "; ('",
        "$(New-Item " + canary + ")",
        "`$(touch " + canary + ")",
        "-n",
        "--help",
        "-e \\x41",
        "*",
        "/*",
        "a[$(touch " + canary + ")]",
        "$'\\x41' $\"x\"",
        "tab\there\r\ncrlf",
        " leading and trailing spaces ",
        "#not a comment",
        "{{other}}",
        "}${x}{",
        "<# ' \" #>",
        "@{a=1}; touch " + canary,
    ];

    /// <summary>POSIX contexts: a line using {{v}} and what it prints, with V for the value.</summary>
    public static TheoryData<string, string, string> PosixContexts()
    {
        var data = new TheoryData<string, string, string>();
        var contexts = new (string Name, string Line, string Expected)[]
        {
            ("unquoted", "printf '%s' {{v}}", "V"),
            ("unquoted, joined to text", "printf '%s' pre{{v}}post", "preVpost"),
            ("single-quoted", "printf '%s' 'sq=[{{v}}]'", "sq=[V]"),
            ("double-quoted", "printf '%s' \"dq=[{{v}}]\"", "dq=[V]"),
            ("double-quoted assignment", "X=\"{{v}}\"; printf '%s' \"$X\"", "V"),
            ("bare assignment", "X={{v}}; printf '%s' \"$X\"", "V"),
            ("$( )", "printf '%s' \"$(printf '%s|' {{v}})\"", "V|"),
            ("$( ) in double quotes with quotes inside", "printf '%s' \"a $(printf '%s|' \"{{v}}\") b\"", "a V| b"),
            ("backticks", "printf '%s' \"`printf '%s|' {{v}}`\"", "V|"),
            ("backticks with double quotes inside", "printf '%s' \"`printf '%s|' \"x{{v}}\"`\"", "xV|"),
            ("heredoc", "cat <<EOF\nhd=[{{v}}]\nEOF", "hd=[V]\n"),
            ("heredoc <<- with tabs", "cat <<-END\n\thd=[{{v}}]\n\tEND", "hd=[V]\n"),
            ("two heredocs on one line", "cat <<A; cat <<'B'\n1={{v}}\nA\nliteral $x\nB", "1=V\nliteral $x\n"),
            ("heredoc in $( )", "x=$(cat <<EOF\n{{v}}|\nEOF\n); printf '%s' \"$x\"", "V|"),
            ("comment", "# comment {{v}} 'unbalanced\nprintf '%s' \"ok\"", "ok"),
            ("case", "case {{v}} in *) printf '%s' \"c={{v}}\";; esac", "c=V"),
        };
        foreach (var shell in new[] { "/bin/sh", "bash", "dash" })
        {
            foreach (var (name, line, expected) in contexts)
            {
                data.Add(shell, name + "\u0001" + line, expected);
            }
        }
        data.Add("bash", "$'...'\u0001printf '%s' $'ansi\\t[{{v}}]\\n'", "ansi\t[V]\n");
        return data;
    }

    [Theory]
    [MemberData(nameof(PosixContexts))]
    public async Task A_hostile_value_arrives_byte_for_byte_in_posix_shells(string shell, string context, string expected)
    {
        var line = context.Split('\u0001')[1];
        var values = Hostile();
        var (script, parameters) = Corpus(line, values, $"printf '%s' '{Separator}'");
        Assert.Empty(ScriptTemplate.Problems(script, ScriptDialect.Posix, new HashSet<string>()));
        var file = Path.Combine(Path.GetTempPath(), $"opsc-corpus-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, ScriptTemplate.Render(script, parameters, ScriptDialect.Posix));
        try
        {
            var result = await LocalProcess.RunAsync(shell, [file]);
            AssertArrived(context, values, expected, result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>PowerShell contexts, run through the bootstrap every Windows step and every powershell step uses.</summary>
    public static TheoryData<string, string> PowerShellContexts() => new()
    {
        { "bare, expression\u0001[Console]::Out.Write({{v}})", "V" },
        { "bare, command argument\u0001Out-Raw {{v}}", "V" },
        { "bare, named argument\u0001Out-Raw -Text {{v}}", "V" },
        { "single-quoted\u0001[Console]::Out.Write('sq=[{{v}}]')", "sq=[V]" },
        { "a whole single-quoted string\u0001Out-Raw '{{v}}'", "V" },
        { "single-quoted after a comment that has a quote\u0001[Console]::Out.Write(\"c=\")# it's\n[Console]::Out.Write('sq=[{{v}}]')", "c=sq=[V]" },
        { "single-quoted with doubled quotes\u0001[Console]::Out.Write('it''s {{v}} ''q''')", "it's V 'q'" },
        { "typographic single quotes\u0001[Console]::Out.Write(‘sq=[{{v}}]’)", "sq=[V]" },
        { "double-quoted\u0001[Console]::Out.Write(\"dq=[{{v}}]\")", "dq=[V]" },
        { "double-quoted argument\u0001Out-Raw \"dq=[{{v}}]\"", "dq=[V]" },
        { "typographic double quotes\u0001[Console]::Out.Write(“dq=[{{v}}]”)", "dq=[V]" },
        { "expandable here-string\u0001[Console]::Out.Write(@\"\nhs=[{{v}}]\n\"@)", "hs=[V]" },
        { "$( ) in a double-quoted string\u0001[Console]::Out.Write(\"a$([string]{{v}})b\")", "aVb" },
        { "$( ) with a string inside\u0001[Console]::Out.Write(\"a$(\"<{{v}}>\")b\")", "a<V>b" },
        { "comment\u0001# it's {{v}} \"\n<# {{v}} ' #>\n[Console]::Out.Write('ok')", "ok" },
    };

    [Theory]
    [MemberData(nameof(PowerShellContexts))]
    public async Task A_hostile_value_arrives_byte_for_byte_in_powershell(string context, string expected)
    {
        var line = context.Split('\u0001')[1];
        var values = Hostile();
        var (script, parameters) = Corpus(line, values, $"[Console]::Out.Write('{Separator}')");
        script = "function Out-Raw { param([string]$Text) [Console]::Out.Write($Text) }\n" + script;
        Assert.Empty(ScriptTemplate.Problems(script, ScriptDialect.PowerShell, new HashSet<string>()));
        var result = await LocalProcess.RunAsync(LocalProcess.PowerShell,
            ["-NoLogo", "-NoProfile", "-NonInteractive", "-EncodedCommand", PowerShellBootstrap.EncodedCommand],
            PowerShellBootstrap.Input(script, parameters));
        AssertArrived(context, values, expected, result);
    }

    [Fact]
    public async Task Only_integers_reach_shell_arithmetic()
    {
        const string script = "printf '%s' $(( {{n}} + 1 ))";
        Assert.Empty(ScriptTemplate.Problems(script, ScriptDialect.Posix, new HashSet<string> { "n" }));
        Assert.Contains("only int parameters", Assert.Single(ScriptTemplate.Problems(script, ScriptDialect.Posix, new HashSet<string>())));
        foreach (var shell in new[] { "/bin/sh", "bash", "dash" })
        {
            var file = Path.Combine(Path.GetTempPath(), $"opsc-arith-{Guid.NewGuid():N}.sh");
            await File.WriteAllTextAsync(file, ScriptTemplate.Render(script, new Dictionary<string, string> { ["n"] = "-42" }, ScriptDialect.Posix));
            var result = await LocalProcess.RunAsync(shell, [file]);
            File.Delete(file);
            Assert.Equal("-41", result.Stdout);
        }
        // At run time the value itself is checked too, whatever the job said.
        foreach (var arithmetic in new[] { script, "(( x = {{n}} ))", "echo ${a[{{n}}]}", "echo ${x:-\"{{n}}\"}", "echo $(( $(echo {{n}}) ))" })
        {
            Assert.Throws<ScriptRefusedException>(() => ScriptTemplate.Render(arithmetic, new Dictionary<string, string> { ["n"] = $"a[$(touch {canary})]" }, ScriptDialect.Posix));
        }
    }

    [Theory]
    [InlineData(ScriptDialect.Posix, "echo start\ncat <<'EOF'\n{{v}}\nEOF", 3, "quoted delimiter")]
    [InlineData(ScriptDialect.Posix, "cat <<\"EOF\"\n{{v}}\nEOF", 2, "quoted delimiter")]
    [InlineData(ScriptDialect.Posix, "cat <<\\EOF\n{{v}}\nEOF", 2, "quoted delimiter")]
    [InlineData(ScriptDialect.Posix, "echo ${x:-{{v}}}", 1, "${ }")]
    [InlineData(ScriptDialect.Posix, "echo $(( {{v}} ))", 1, "only int")]
    [InlineData(ScriptDialect.Posix, "echo\n((  {{v}} > 1 ))", 2, "only int")]
    [InlineData(ScriptDialect.PowerShell, "$a = @'\n{{v}}\n'@", 2, "verbatim here-string")]
    [InlineData(ScriptDialect.PowerShell, "${env:{{v}}}", 1, "variable name")]
    public void Placements_that_cannot_be_made_safe_are_refused_with_their_line(ScriptDialect dialect, string script, int line, string why)
    {
        var problem = Assert.Single(ScriptTemplate.Problems(script, dialect, new HashSet<string>()));
        Assert.StartsWith($"line {line}: {{{{v}}}} cannot be used here", problem);
        Assert.Contains(why, problem);
        Assert.Throws<ScriptRefusedException>(() => ScriptTemplate.Render(script, new Dictionary<string, string> { ["v"] = "x" }, dialect));
    }

    [Theory]
    [InlineData("exit 7", 7)]
    [InlineData("Write-Output ok", 0)]
    [InlineData("sh -c 'exit 5'", 5)]
    [InlineData("sh -c 'exit 5'; Write-Output after", 0)]
    [InlineData("Get-Item /no/such/path", 1)]
    [InlineData("throw 'boom'", 1)]
    public async Task The_powershell_bootstrap_returns_the_script_exit_code(string script, int exitCode)
    {
        var result = await LocalProcess.RunAsync(LocalProcess.PowerShell,
            ["-NoLogo", "-NoProfile", "-NonInteractive", "-EncodedCommand", PowerShellBootstrap.EncodedCommand],
            PowerShellBootstrap.Input(script, new Dictionary<string, string>()));
        Assert.True(exitCode == result.ExitCode, $"exit {result.ExitCode}, expected {exitCode}: {result.Stderr}");
        // Short enough for cmd.exe (8191 characters), whatever the script and its values.
        Assert.True(PowerShellBootstrap.EncodedCommand.Length < 4000, $"the bootstrap is {PowerShellBootstrap.EncodedCommand.Length} characters");
    }

    /// <summary>One script with the context's line once per value (parameters v0, v1, ...), separated.</summary>
    static (string Script, Dictionary<string, string> Parameters) Corpus(string line, List<string> values, string separator)
    {
        var script = new StringBuilder();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < values.Count; k++)
        {
            parameters[$"v{k}"] = values[k];
            script.Append(line.Replace("{{v}}", $"{{{{v{k}}}}}", StringComparison.Ordinal)).Append('\n').Append(separator).Append('\n');
        }
        return (script.ToString(), parameters);
    }

    void AssertArrived(string context, List<string> values, string expected, LocalProcess.Result result)
    {
        context = context.Replace("\u0001", ": ", StringComparison.Ordinal);
        Assert.False(File.Exists(canary), $"{context}: a value ran a command");
        Assert.True(result.ExitCode == 0, $"{context}: exit {result.ExitCode}: {result.Stderr}");
        var outputs = result.Stdout.Split(Separator);
        Assert.Equal(values.Count + 1, outputs.Length);
        for (var k = 0; k < values.Count; k++)
        {
            Assert.True(expected.Replace("V", values[k], StringComparison.Ordinal) == outputs[k],
                $"{context}: value {k} {Escape(values[k])} arrived as {Escape(outputs[k])}");
        }
    }

    static string Escape(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    public void Dispose() => File.Delete(canary);
}
