using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>
/// The signing and sealing state of one authenticated NTLM connection ([MS-NLMP] 3.4, extended session security):
/// one RC4 handle and one sequence number per direction, kept for the life of the connection. The server role
/// seals with the server-to-client keys and unseals with the client-to-server keys.
/// </summary>
public sealed class NtlmSession
{
    readonly byte[] _outSignKey;
    readonly byte[] _inSignKey;
    readonly Rc4 _outSeal;
    readonly Rc4 _inSeal;
    readonly bool _keyExchange;
    readonly Lock _gate = new();
    uint _outSequence;
    uint _inSequence;

    public NtlmSession(ReadOnlySpan<byte> exportedSessionKey, NtlmFlags flags, bool isServer, string user, string domain)
    {
        User = user;
        Domain = domain;
        Flags = flags;
        _keyExchange = flags.HasFlag(NtlmFlags.KeyExchange);
        var clientSign = NtlmCrypto.SignKey(exportedSessionKey, NtlmCrypto.ClientSigningMagic);
        var serverSign = NtlmCrypto.SignKey(exportedSessionKey, NtlmCrypto.ServerSigningMagic);
        var clientSeal = NtlmCrypto.SealKey(exportedSessionKey, flags, NtlmCrypto.ClientSealingMagic);
        var serverSeal = NtlmCrypto.SealKey(exportedSessionKey, flags, NtlmCrypto.ServerSealingMagic);
        _outSignKey = isServer ? serverSign : clientSign;
        _inSignKey = isServer ? clientSign : serverSign;
        _outSeal = new Rc4(isServer ? serverSeal : clientSeal);
        _inSeal = new Rc4(isServer ? clientSeal : serverSeal);
    }

    public string User { get; }

    public string Domain { get; }

    public NtlmFlags Flags { get; }

    /// <summary>Seals <paramref name="message"/> and signs it: returns the sealed bytes and the 16-byte signature.</summary>
    public (byte[] Sealed, byte[] Signature) Wrap(ReadOnlySpan<byte> message)
    {
        lock (_gate)
        {
            var sealedMessage = _outSeal.Transform(message);
            var signature = Sign(_outSignKey, _outSeal, _outSequence, message);
            _outSequence++;
            return (sealedMessage, signature);
        }
    }

    /// <summary>Unseals a message from the peer and checks its signature and sequence number; null when either is wrong.</summary>
    public byte[]? Unwrap(ReadOnlySpan<byte> sealedMessage, ReadOnlySpan<byte> signature)
    {
        lock (_gate)
        {
            if (signature.Length != 16)
            {
                return null;
            }
            var message = _inSeal.Transform(sealedMessage);
            var expected = Sign(_inSignKey, _inSeal, _inSequence, message);
            _inSequence++;
            return CryptographicOperations.FixedTimeEquals(expected, signature) ? message : null;
        }
    }

    byte[] Sign(byte[] signKey, Rc4 seal, uint sequence, ReadOnlySpan<byte> message)
    {
        // Signature = version 1 + first 8 bytes of HMAC_MD5(SignKey, seq + message) (RC4'd with KEY_EXCH) + seq.
        var signature = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(signature, 1);
        Span<byte> seq = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(seq, sequence);
        var mac = HMACMD5.HashData(signKey, (byte[])[.. seq, .. message]);
        var checksum = mac.AsSpan(0, 8);
        if (_keyExchange)
        {
            seal.TransformInPlace(checksum);
        }
        checksum.CopyTo(signature.AsSpan(4));
        seq.CopyTo(signature.AsSpan(12));
        return signature;
    }
}
