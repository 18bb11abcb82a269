using System.Text;

namespace OpsConductor.Shared.Scripting;

/// <summary>
/// How a PowerShell script is delivered: a small fixed command (<see cref="EncodedCommand"/>, the same for
/// every step, so no value is ever on a command line and cmd.exe's 8191-character limit is never near)
/// reads stdin as UTF-8: a first line of <c>name:base64,...</c> values, which it defines as
/// <c>$OPSC_P_name</c>, then the script, which it runs as a script block. The exit code is the script's
/// <c>exit N</c>, else 0 when its last statement succeeded (a line appended to the script records it, as
/// <c>-Command</c> does), else the last native exit code or 1.
/// </summary>
public static class PowerShellBootstrap
{
    const string Source = """
        $OPSC_m=[IO.MemoryStream]::new();[Console]::OpenStandardInput().CopyTo($OPSC_m)
        $OPSC_t=[Text.Encoding]::UTF8.GetString($OPSC_m.ToArray());$OPSC_n=$OPSC_t.IndexOf("`n")
        foreach($OPSC_e in $OPSC_t.Substring(0,$OPSC_n).Split(',')){if($OPSC_e){$OPSC_kv=$OPSC_e.Split(':')
        Set-Variable -Name ('OPSC_P_'+$OPSC_kv[0]) -Value ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($OPSC_kv[1])))}}
        $OPSC_s=[scriptblock]::Create($OPSC_t.Substring($OPSC_n+1)+"`n`$global:OPSC_ok=`$?");Remove-Variable OPSC_m,OPSC_t,OPSC_n,OPSC_e,OPSC_kv -ErrorAction Ignore
        $global:OPSC_ok=$true;$global:LASTEXITCODE=0;try{& $OPSC_s}catch{[Console]::Error.WriteLine($_);exit 1}
        if($OPSC_ok){exit 0}elseif($LASTEXITCODE){exit $LASTEXITCODE}else{exit 1}
        """;

    /// <summary>The bootstrap for <c>-EncodedCommand</c> (UTF-16LE, base64).</summary>
    public static string EncodedCommand { get; } = Convert.ToBase64String(Encoding.Unicode.GetBytes(Source));

    /// <summary>What the bootstrap reads on stdin: the values the script references, then the rendered script.</summary>
    public static byte[] Input(string script, IReadOnlyDictionary<string, string> values)
    {
        var rendered = PowerShellScript.Render(script, values);
        var header = string.Join(',', ScriptTemplate.References(script).Order(StringComparer.Ordinal)
            .Select(name => name + ":" + Convert.ToBase64String(Encoding.UTF8.GetBytes(values[name]))));
        return Encoding.UTF8.GetBytes(header + "\n" + rendered);
    }
}
