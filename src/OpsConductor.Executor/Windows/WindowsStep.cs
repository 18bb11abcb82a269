using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Scripting;

namespace OpsConductor.Executor.Windows;

/// <summary>
/// How a step runs on a Windows target, over WinRM and over SSH alike: <c>powershell -NoProfile -NonInteractive
/// -EncodedCommand</c> with a fixed bootstrap (no value and no script on the command line, so cmd.exe never parses
/// them and the 8,191-character limit is never near), which reads the parameter values and the script from stdin
/// (the <see cref="PowerShellBootstrap.Input"/> format), writes the script into a private temporary directory, runs it
/// as a script file (so <c>exit N</c> ends the script, not the host) and removes it. The exit code follows
/// <c>exit N</c>, a terminating error (1), and otherwise the last statement (0) or the last native exit code. The
/// bootstrap reports its process id and its exit code on stderr as lines tagged with a per-step nonce, so cancel can kill
/// the process tree and the code survives a login shell that does not pass it on (PowerShell as the OpenSSH default shell
/// exits 1 for any failing native command).
/// </summary>
public sealed class WindowsStep
{
    /// <summary>cmd.exe's command-line limit; the bootstrap command stays well below it.</summary>
    public const int CommandLineLimit = 8191;

    const string Source = """
        $ProgressPreference='SilentlyContinue';if($PSStyle){$PSStyle.OutputRendering='PlainText'}
        [Console]::Error.WriteLine('__OPSC_NONCE_PID__'+$PID)
        $OPSC_m=[IO.MemoryStream]::new();[Console]::OpenStandardInput().CopyTo($OPSC_m)
        $OPSC_t=[Text.Encoding]::UTF8.GetString($OPSC_m.ToArray());$OPSC_n=$OPSC_t.IndexOf("`n")
        foreach($OPSC_e in $OPSC_t.Substring(0,$OPSC_n).Split(',')){if($OPSC_e){$OPSC_kv=$OPSC_e.Split(':')
        Set-Variable -Scope Global -Name ('OPSC_P_'+$OPSC_kv[0]) -Value ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($OPSC_kv[1])))}}
        $OPSC_d=Join-Path ([IO.Path]::GetTempPath()) 'opsc-step-NONCE'
        if($IsLinux -or $IsMacOS){[void][IO.Directory]::CreateDirectory($OPSC_d,[IO.UnixFileMode]'UserRead,UserWrite,UserExecute')}else{[void][IO.Directory]::CreateDirectory($OPSC_d)}
        $OPSC_f=Join-Path $OPSC_d 'step.ps1'
        [IO.File]::WriteAllText($OPSC_f,$OPSC_t.Substring($OPSC_n+1)+"`n`$global:OPSC_ok=`$?",[Text.UTF8Encoding]::new($true))
        Remove-Variable OPSC_m,OPSC_t,OPSC_n,OPSC_e,OPSC_kv -ErrorAction Ignore
        $global:OPSC_ok=$null;$global:LASTEXITCODE=0;$OPSC_x=1
        try{& $OPSC_f;if($null -eq $OPSC_ok){$OPSC_x=[int]$LASTEXITCODE}elseif($OPSC_ok){$OPSC_x=0}elseif($LASTEXITCODE){$OPSC_x=$LASTEXITCODE}else{$OPSC_x=1}}
        catch{[Console]::Error.WriteLine($_);$OPSC_x=1}
        finally{Remove-Item -LiteralPath $OPSC_d -Recurse -Force -ErrorAction Ignore}
        [Console]::Error.WriteLine('__OPSC_NONCE_EXIT__'+$OPSC_x);exit $OPSC_x
        """;

    const string KillSource = """
        $p=OPSC_TARGET_PID;$d=Join-Path ([IO.Path]::GetTempPath()) 'opsc-step-NONCE'
        if($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows){& taskkill.exe /T /F /PID $p *>$null}
        else{$all=@(Get-Process);$tree=[Collections.Generic.List[int]]::new();$tree.Add($p)
        for($k=0;$k -lt $tree.Count;$k++){foreach($c in $all){if($c.Parent -and $c.Parent.Id -eq $tree[$k]){$tree.Add($c.Id)}}}
        foreach($i in $tree){Stop-Process -Id $i -Force -ErrorAction Ignore}}
        Start-Sleep -Milliseconds 300;Remove-Item -LiteralPath $d -Recurse -Force -ErrorAction Ignore
        """;

    const string CleanupSource = "Remove-Item -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) 'opsc-step-NONCE') -Recurse -Force -ErrorAction Ignore";

    WindowsStep(string nonce, byte[] input)
    {
        Nonce = nonce;
        Input = input;
        Arguments = [.. Options, PowerShellCommand.Encode(Source.Replace("NONCE", nonce, StringComparison.Ordinal))];
    }

    static readonly string[] Options = ["-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"];

    public string Nonce { get; }

    /// <summary>The arguments of <c>powershell.exe</c> (each its own WinRM rsp:Arguments).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>What goes to stdin: the values the script references, then the rendered script.</summary>
    public byte[] Input { get; }

    /// <summary>The command line for SSH (the target's default shell parses it: only plain words).</summary>
    public string CommandLine => "powershell " + string.Join(' ', Arguments);

    public string PidMarker => $"__OPSC_{Nonce}_PID__";

    public string ExitMarker => $"__OPSC_{Nonce}_EXIT__";

    /// <summary>Builds the step; throws <see cref="ScriptRefusedException"/> for what cannot run on Windows.</summary>
    public static WindowsStep Build(StepPlan step, IReadOnlyDictionary<string, string> parameters)
    {
        if (step.Type == StepType.ShellScript && step.Script.StartsWith("#!", StringComparison.Ordinal)
            && StepScript.Dialect(StepType.ShellScript, step.Script, windows: false) != ScriptDialect.PowerShell)
        {
            throw new ScriptRefusedException(
                $"The script starts with '{FirstLine(step.Script)}', but Windows targets run steps in PowerShell; "
                + "remove the #! line (or name pwsh/powershell) and write the script in PowerShell.");
        }
        return new WindowsStep(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), PowerShellBootstrap.Input(step.Script, parameters));
    }

    /// <summary>Builds the step, or says why it cannot run on Windows (the <see cref="ScriptRefusedException"/> message).</summary>
    public static bool TryBuild(StepPlan step, IReadOnlyDictionary<string, string> parameters,
        [NotNullWhen(true)] out WindowsStep? windows, [NotNullWhen(false)] out string? refusal)
    {
        try
        {
            windows = Build(step, parameters);
            refusal = null;
            return true;
        }
        catch (ScriptRefusedException refused)
        {
            windows = null;
            refusal = refused.Message;
            return false;
        }
    }

    /// <summary>
    /// A command line that kills the step's process tree (taskkill /T /F on Windows; elsewhere the tree is collected
    /// first and killed root first, so the script cannot go on when its child dies) and removes its directory.
    /// </summary>
    public string KillCommandLine(long pid) =>
        "powershell -NoLogo -NoProfile -NonInteractive -EncodedCommand "
        + PowerShellCommand.Encode(KillSource.Replace("OPSC_TARGET_PID", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("NONCE", Nonce, StringComparison.Ordinal));

    /// <summary>
    /// The arguments of a <c>powershell.exe</c> that removes the step's directory, for when the step was terminated
    /// (WinRM's terminate signal ends the process before the bootstrap's own cleanup can run).
    /// </summary>
    public IReadOnlyList<string> CleanupArguments => [.. Options, PowerShellCommand.Encode(CleanupSource.Replace("NONCE", Nonce, StringComparison.Ordinal))];

    static string FirstLine(string script)
    {
        var line = script.Split('\n')[0].TrimEnd('\r');
        return line.Length > 60 ? line[..60] + "..." : line;
    }
}
