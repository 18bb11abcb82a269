namespace OpsConductor.Shared.Scripting;

/// <summary>The language a step's script is read and run in.</summary>
public enum ScriptDialect
{
    /// <summary>POSIX sh and the shells that extend it (bash, dash, ksh, zsh, ash).</summary>
    Posix,

    /// <summary>PowerShell (Windows PowerShell 5.1 and pwsh 7).</summary>
    PowerShell,
}
