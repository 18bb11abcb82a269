using OpsConductor.Shared.Contracts;

namespace OpsConductor.Shared.Scripting;

/// <summary>Which language a step's script is in, and for a shell script which interpreter its <c>#!</c> line names.</summary>
public static class StepScript
{
    static readonly HashSet<string> PosixShells = new(["sh", "bash", "dash", "ksh", "ksh93", "mksh", "zsh", "ash", "busybox"], StringComparer.Ordinal);
    static readonly HashSet<string> PowerShells = new(["pwsh", "pwsh-preview", "powershell"], StringComparer.Ordinal);

    /// <summary>
    /// The dialect the step runs in: every step on Windows is PowerShell; on POSIX a command is sh, a
    /// powershell step is PowerShell and a shell script is what its <c>#!</c> line names (sh without one).
    /// Null for an interpreter that is no known shell: placeholders cannot be placed safely in its language.
    /// </summary>
    public static ScriptDialect? Dialect(StepType type, string script, bool windows)
    {
        if (windows || type == StepType.Powershell)
        {
            return ScriptDialect.PowerShell;
        }
        if (type != StepType.ShellScript || Interpreter(script) is not { } interpreter)
        {
            return ScriptDialect.Posix;
        }
        var words = interpreter.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var program = Path.GetFileName(words[0]);
        if (program == "env")
        {
            program = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-')) is { } named ? Path.GetFileName(named) : "";
        }
        return PosixShells.Contains(program) ? ScriptDialect.Posix : PowerShells.Contains(program) ? ScriptDialect.PowerShell : null;
    }

    /// <summary>The interpreter named by the <c>#!</c> line, or null; only plain paths and words are taken from it.</summary>
    public static string? Interpreter(string script)
    {
        if (!script.StartsWith("#!", StringComparison.Ordinal))
        {
            return null;
        }
        var line = script[2..].Split('\n')[0].Trim();
        var safe = line.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ' ');
        return safe && line.Length > 0 ? line : null;
    }
}
