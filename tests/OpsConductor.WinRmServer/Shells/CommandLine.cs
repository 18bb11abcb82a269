using System.Text;

namespace OpsConductor.WinRmServer.Shells;

/// <summary>
/// Turns a WinRS command (rsp:Command plus rsp:Arguments, which Windows joins into one command line for cmd.exe)
/// into a local program and arguments: <c>powershell[.exe]</c>/<c>pwsh</c> runs the local pwsh with the same
/// arguments (plus -NoProfile -NonInteractive), anything else runs as <c>/bin/sh -c "the command line"</c>.
/// </summary>
public static class CommandLine
{
    static readonly string[] PowerShellNames = ["powershell", "powershell.exe", "pwsh", "pwsh.exe"];

    public static (string Program, IReadOnlyList<string> Arguments) Map(string command, IReadOnlyList<string> arguments, string powerShell, string shell)
    {
        var line = arguments.Count == 0 ? command : command + " " + string.Join(' ', arguments);
        var words = Split(line);
        if (words.Count > 0 && IsPowerShell(words[0]))
        {
            var args = new List<string>();
            if (!words.Skip(1).Any(w => w.Equals("-NoProfile", StringComparison.OrdinalIgnoreCase)))
            {
                args.Add("-NoProfile");
            }
            if (!words.Skip(1).Any(w => w.Equals("-NonInteractive", StringComparison.OrdinalIgnoreCase)))
            {
                args.Add("-NonInteractive");
            }
            args.AddRange(words.Skip(1));
            return (powerShell, args);
        }
        return (shell, ["-c", line]);
    }

    static bool IsPowerShell(string program)
    {
        var name = program.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return PowerShellNames.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Splits a Windows command line the way the C runtime does (whitespace, double quotes, backslashes before quotes).</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\')
            {
                var slashes = 0;
                while (i < line.Length && line[i] == '\\')
                {
                    slashes++;
                    i++;
                }
                if (i < line.Length && line[i] == '"')
                {
                    current.Append('\\', slashes / 2);
                    if (slashes % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        quoted = !quoted;
                    }
                }
                else
                {
                    current.Append('\\', slashes);
                    i--;
                }
                inWord = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }
}
