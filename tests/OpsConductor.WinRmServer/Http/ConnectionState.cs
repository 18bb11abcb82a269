using OpsConductor.WinRmServer.Ntlm;

namespace OpsConductor.WinRmServer.Http;

/// <summary>What one TCP connection has established: an NTLM handshake in progress, or its authenticated session.</summary>
public sealed class ConnectionState
{
    public NtlmAcceptor? Handshake { get; set; }

    public NtlmSession? Session { get; set; }
}
