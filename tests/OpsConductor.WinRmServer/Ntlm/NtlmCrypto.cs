using System.Security.Cryptography;
using System.Text;

namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>The NTLMv2 computations of [MS-NLMP] 3.3.2 and 3.4.5, as small pure functions (test vectors in 4.2.4).</summary>
public static class NtlmCrypto
{
    public static readonly byte[] ClientSigningMagic = Magic("session key to client-to-server signing key magic constant");
    public static readonly byte[] ServerSigningMagic = Magic("session key to server-to-client signing key magic constant");
    public static readonly byte[] ClientSealingMagic = Magic("session key to client-to-server sealing key magic constant");
    public static readonly byte[] ServerSealingMagic = Magic("session key to server-to-client sealing key magic constant");

    /// <summary>The NT hash: MD4 of the UTF-16LE password.</summary>
    public static byte[] NtHash(string password) => Md4.Hash(Encoding.Unicode.GetBytes(password));

    /// <summary>NTOWFv2 = HMAC_MD5(MD4(UTF16LE(password)), UTF16LE(UPPER(user) + domain)).</summary>
    public static byte[] NtowfV2(string password, string user, string domain) => NtowfV2(NtHash(password), user, domain);

    public static byte[] NtowfV2(byte[] ntHash, string user, string domain) =>
        HMACMD5.HashData(ntHash, Encoding.Unicode.GetBytes(user.ToUpperInvariant() + domain));

    /// <summary>NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge + temp).</summary>
    public static byte[] NtProofStr(byte[] responseKeyNt, ReadOnlySpan<byte> serverChallenge, ReadOnlySpan<byte> temp) =>
        HMACMD5.HashData(responseKeyNt, (byte[])[.. serverChallenge, .. temp]);

    /// <summary>SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr); for NTLMv2 it is also the KeyExchangeKey.</summary>
    public static byte[] SessionBaseKey(byte[] responseKeyNt, ReadOnlySpan<byte> ntProofStr) => HMACMD5.HashData(responseKeyNt, ntProofStr);

    /// <summary>SIGNKEY with extended session security: MD5(ExportedSessionKey + magic).</summary>
    public static byte[] SignKey(ReadOnlySpan<byte> exportedSessionKey, byte[] magic) => MD5.HashData([.. exportedSessionKey, .. magic]);

    /// <summary>SEALKEY with extended session security: MD5 of the first 16, 7 or 5 key bytes (128/56/40 bit) + magic.</summary>
    public static byte[] SealKey(ReadOnlySpan<byte> exportedSessionKey, NtlmFlags flags, byte[] magic)
    {
        var length = flags.HasFlag(NtlmFlags.Key128) ? 16 : flags.HasFlag(NtlmFlags.Key56) ? 7 : 5;
        return MD5.HashData([.. exportedSessionKey[..length], .. magic]);
    }

    static byte[] Magic(string text) => [.. Encoding.ASCII.GetBytes(text), 0];
}
