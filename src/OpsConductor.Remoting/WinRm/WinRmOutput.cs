using OpsConductor.Shared.Contracts;

namespace OpsConductor.Remoting.WinRm;

/// <summary>One decoded rsp:Stream element of a Receive response.</summary>
public sealed record WinRmOutput(OutputStream Stream, byte[] Data);
