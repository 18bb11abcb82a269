namespace OpsConductor.Remoting.WinRm;

/// <summary>WS-Management settings of one client (the defaults are what Windows accepts out of the box).</summary>
public sealed record WinRmClientOptions
{
    /// <summary>How long one Receive waits on the server for output before it answers w:TimedOut ("no output yet").</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Connect, TLS and authentication time limit.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The MaxEnvelopeSize header, in bytes (Windows' default MaxEnvelopeSizekb is 500).</summary>
    public int MaxEnvelopeSize { get; init; } = 512000;

    public string Locale { get; init; } = "en-US";

    public static WinRmClientOptions Default { get; } = new();
}
