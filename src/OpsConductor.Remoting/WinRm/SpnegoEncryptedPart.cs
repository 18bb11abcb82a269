namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// One encrypted part of a <see cref="SpnegoEncryptedMessage"/>: the plaintext length the sender declared
/// (OriginalContent Length=), the NTLM signature (16 bytes) and the sealed (RC4) bytes.
/// </summary>
public sealed record SpnegoEncryptedPart(int OriginalLength, byte[] Signature, byte[] Sealed)
{
    /// <summary>Signature then sealed bytes: the layout NegotiateAuthentication.Wrap writes and Unwrap reads for NTLM.</summary>
    public byte[] Token => [.. Signature, .. Sealed];
}
