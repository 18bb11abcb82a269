namespace OpsConductor.WinRmServer.Shells;

/// <summary>Bytes a command wrote to one stream ("stdout" or "stderr"), in arrival order.</summary>
public sealed record OutputChunk(string Stream, byte[] Data);
