using System.Text;
using System.Text.Json;
using OpsConductor.Shared.Scripting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>
/// OpsConductor's PowerShell lexer agrees with PowerShell's own parser on which placeholders stand in
/// '...' strings, "..." strings, here-strings and comments: where they disagreed, a value escaped for one
/// context would be read in another.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class PowerShellLexerAgreementTests
{
    static readonly string[] Scripts =
    [
        "Write-Output 'a {{v}} b' \"c {{v}} d\" {{v}}",
        "Write-Output \"x\"# it's a comment {{v}}\nWrite-Output 'sq {{v}}'",
        "$n = 1# it's {{v}}\nWrite-Output 'sq {{v}}'",
        "Write-Output a#b 'sq {{v}}'",
        "$a = $b#it's {{v}}\n'{{v}} x'",
        "Write-Output abc1#it's {{v}}\n'{{v}} x'",
        "Write-Output 42#it's {{v}}\n'{{v}} x'",
        "Write-Output C:\\dir#x\\'{{v}} x'",
        "Write-Output (1)#'{{v}}\n'{{v}} x'",
        "<# it's\n {{v}} #> Write-Output 'sq {{v}}'",
        "$h = @\"\nhs {{v}} 'q'\n  \"@ not the end\n\"@\nWrite-Output 'after {{v}}'",
        "$h = @'\nverbatim {{v}} \"q\"\n'@\nWrite-Output \"after {{v}}\"",
        "Write-Output \"a $('in {{v}} sub') `\" {{v}}\" '{{v}} it''s'",
        "Write-Output ‘typographic {{v}}’ “double {{v}}” 'mixed {{v}}’",
        "Write-Output \"\"\"quoted {{v}}\"\"\" ''' {{v}} '''",
        "function f { param($x) \"in f {{v}}\" } # {{v}}\nf 'x {{v}}'",
    ];

    [Fact]
    public async Task Placeholders_are_in_the_same_kind_of_token_for_both()
    {
        const string Tokenize = """
            $scripts = [Console]::In.ReadToEnd() | ConvertFrom-Json
            function Walk($i, $tokens) { foreach ($k in $tokens) { "$i $($k.Extent.StartOffset) $($k.Extent.EndOffset) $($k.Kind)"; if ($k.NestedTokens) { Walk $i $k.NestedTokens } } }
            for ($i = 0; $i -lt $scripts.Count; $i++) { $t = $null; $e = $null; [void][System.Management.Automation.Language.Parser]::ParseInput($scripts[$i], [ref]$t, [ref]$e); Walk $i $t }
            """;
        var result = await LocalProcess.RunAsync(LocalProcess.PowerShell, ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", Tokenize],
            Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Scripts)));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var tokens = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' '))
            .Select(f => (Script: int.Parse(f[0]), Start: int.Parse(f[1]), End: int.Parse(f[2]), Kind: f[3]))
            .ToList();

        for (var s = 0; s < Scripts.Length; s++)
        {
            foreach (var p in PowerShellScript.Scan(Scripts[s]))
            {
                // The innermost token around the placeholder is the last one listed that contains it.
                var kind = tokens.LastOrDefault(t => t.Script == s && t.Start <= p.Index && p.Index + p.Length <= t.End).Kind ?? "none";
                // A bare word can hold quoted parts (abc'd e'f), which PowerShell reads as one Generic token.
                var expected = kind switch
                {
                    "Generic" when p.Context is PlaceholderContext.PowerShellSingleQuoted or PlaceholderContext.PowerShellDoubleQuoted => p.Context,
                    "StringLiteral" when PowerShellScript.IsSingleQuote(Scripts[s][p.Index]) => PlaceholderContext.PowerShellCode,
                    "StringLiteral" => PlaceholderContext.PowerShellSingleQuoted,
                    "StringExpandable" => PlaceholderContext.PowerShellDoubleQuoted,
                    "HereStringExpandable" => PlaceholderContext.PowerShellExpandableHereString,
                    "HereStringLiteral" => PlaceholderContext.PowerShellVerbatimHereString,
                    "Comment" => PlaceholderContext.PowerShellComment,
                    _ => PlaceholderContext.PowerShellCode,
                };
                Assert.True(expected == p.Context, $"script {s} line {p.Line} at {p.Index}: PowerShell reads a {kind} token there, OpsConductor {p.Context}\n{Scripts[s]}");
            }
        }
    }
}
