using System.Text;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// How a PowerShell script becomes a WinRS command. Short scripts run as
/// <c>powershell.exe -NoProfile -NonInteractive -EncodedCommand &lt;base64 of UTF-16LE&gt;</c>. Scripts whose command
/// line would pass Windows' 8,191-character limit go through stdin instead: a short encoded bootstrap reads the
/// whole of stdin (the script, UTF-16LE base64, so only ASCII crosses the console), decodes it and dot-sources it
/// with a last line that exits 1 when the script's last statement failed, so its exit code is the encoded form's
/// (verified against pwsh); nothing is written to disk on the target.
/// </summary>
public sealed record PowerShellCommand(string Program, IReadOnlyList<string> Arguments, byte[]? Stdin)
{
    public const string PowerShellExe = "powershell.exe";

    /// <summary>cmd.exe's command-line limit (the WinRS command line is run through it).</summary>
    public const int MaxCommandLineLength = 8191;

    /// <summary>The bootstrap of the stdin form: read stdin to the end, decode, run in the script scope.</summary>
    public const string StdinBootstrap =
        "$ErrorActionPreference='Stop';" +
        "$s=[Text.Encoding]::Unicode.GetString([Convert]::FromBase64String([Console]::In.ReadToEnd().Trim()));" +
        "$ErrorActionPreference='Continue';" +
        ". ([scriptblock]::Create($s+[Environment]::NewLine+'if (-not $?) { exit 1 }'))";

    /// <summary>The whole command line as Windows sees it (program and arguments joined by spaces).</summary>
    public string CommandLine => string.Join(' ', [Program, .. Arguments]);

    /// <summary>UTF-16LE base64, the form -EncodedCommand takes.</summary>
    public static string Encode(string script) => Convert.ToBase64String(Encoding.Unicode.GetBytes(script));

    /// <summary>The -EncodedCommand form, whatever the length.</summary>
    public static PowerShellCommand Encoded(string script, string program = PowerShellExe) =>
        new(program, ["-NoProfile", "-NonInteractive", "-EncodedCommand", Encode(script)], null);

    /// <summary>The stdin form: the bootstrap as -EncodedCommand, the script (UTF-16LE base64, then CRLF) as stdin.</summary>
    public static PowerShellCommand ThroughStdin(string script, string program = PowerShellExe) =>
        new(program, ["-NoProfile", "-NonInteractive", "-EncodedCommand", Encode(StdinBootstrap)], Encoding.ASCII.GetBytes(Encode(script) + "\r\n"));

    /// <summary>-EncodedCommand when it fits the command-line limit, else the stdin form.</summary>
    public static PowerShellCommand For(string script, string program = PowerShellExe)
    {
        ArgumentNullException.ThrowIfNull(script);
        var encoded = Encoded(script, program);
        return encoded.CommandLine.Length <= MaxCommandLineLength ? encoded : ThroughStdin(script, program);
    }
}
