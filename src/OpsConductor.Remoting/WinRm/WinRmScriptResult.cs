namespace OpsConductor.Remoting.WinRm;

/// <summary>A finished command: its exit code and its whole output, as text.</summary>
public sealed record WinRmScriptResult(int ExitCode, string Stdout, string Stderr);
