namespace OpsConductor.Shared.Scripting;

/// <summary>Where in a script a <c>{{name}}</c> placeholder stands: it decides how the value is put there.</summary>
public enum PlaceholderContext
{
    /// <summary>POSIX code outside any quotes.</summary>
    Unquoted,

    /// <summary>POSIX code inside <c>$( )</c>.</summary>
    CommandSubstitution,

    /// <summary>POSIX code inside backticks.</summary>
    Backticks,

    /// <summary>POSIX <c>'...'</c>.</summary>
    SingleQuoted,

    /// <summary>bash/ksh/zsh <c>$'...'</c>.</summary>
    AnsiCQuoted,

    /// <summary>POSIX <c>"..."</c>.</summary>
    DoubleQuoted,

    /// <summary>The body of a heredoc whose delimiter is unquoted (<c>&lt;&lt;EOF</c>): it expands <c>$</c>.</summary>
    Heredoc,

    /// <summary>The body of a heredoc whose delimiter is quoted (<c>&lt;&lt;'EOF'</c>): nothing expands.</summary>
    QuotedHeredoc,

    /// <summary>Inside <c>$(( ))</c> or <c>(( ))</c>, or anything nested in them.</summary>
    Arithmetic,

    /// <summary>Inside <c>${ }</c>, or anything nested in it (bash evaluates array subscripts there).</summary>
    ParameterExpansion,

    /// <summary>A POSIX <c>#</c> comment.</summary>
    Comment,

    /// <summary>PowerShell code, also inside <c>$( )</c>.</summary>
    PowerShellCode,

    /// <summary>PowerShell <c>'...'</c> (any of its single-quote characters).</summary>
    PowerShellSingleQuoted,

    /// <summary>PowerShell <c>"..."</c> (any of its double-quote characters).</summary>
    PowerShellDoubleQuoted,

    /// <summary>PowerShell <c>@"..."@</c>.</summary>
    PowerShellExpandableHereString,

    /// <summary>PowerShell <c>@'...'@</c>: nothing expands.</summary>
    PowerShellVerbatimHereString,

    /// <summary>PowerShell <c>${...}</c>: a variable name.</summary>
    PowerShellBracedVariable,

    /// <summary>A PowerShell <c>#</c> or <c>&lt;# #&gt;</c> comment.</summary>
    PowerShellComment,
}
