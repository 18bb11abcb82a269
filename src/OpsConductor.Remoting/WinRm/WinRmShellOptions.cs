namespace OpsConductor.Remoting.WinRm;

/// <summary>How a remote shell is created: UTF-8 (code page 65001) and no profile unless said otherwise.</summary>
public sealed record WinRmShellOptions
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public int CodePage { get; init; } = 65001;

    public bool NoProfile { get; init; } = true;

    /// <summary>Shell idle timeout the server applies (PT...S); null leaves the server's default.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    public static WinRmShellOptions Default { get; } = new();
}
