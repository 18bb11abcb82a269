using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>
/// The server side of one NTLM handshake ([MS-NLMP] 3.2.5): NEGOTIATE in, CHALLENGE out, AUTHENTICATE verified
/// with NTLMv2 (NTProofStr and, when the client says it sent one, the MIC). One instance per TCP connection.
/// Failure reasons never include a password, a hash or a key.
/// </summary>
public sealed class NtlmAcceptor(IReadOnlyList<WinRmTestUser> users, NtlmServerNames names, TimeProvider time)
{
    static readonly byte[] Signature = "NTLMSSP\0"u8.ToArray();

    const NtlmFlags Supported = NtlmFlags.Unicode | NtlmFlags.RequestTarget | NtlmFlags.Sign | NtlmFlags.Seal | NtlmFlags.Ntlm
        | NtlmFlags.AlwaysSign | NtlmFlags.ExtendedSessionSecurity | NtlmFlags.TargetInfo | NtlmFlags.Version
        | NtlmFlags.Key128 | NtlmFlags.KeyExchange | NtlmFlags.Key56;

    byte[]? _negotiate;
    byte[]? _challenge;
    byte[]? _serverChallenge;

    /// <summary>Why the last <see cref="Authenticate"/> failed (no secrets in it).</summary>
    public string? Failure { get; private set; }

    public static bool HasSignature(ReadOnlySpan<byte> message) => message.Length >= 12 && message[..8].SequenceEqual(Signature);

    /// <summary>The message type (1, 2 or 3), or 0 when it is not NTLMSSP.</summary>
    public static int MessageType(ReadOnlySpan<byte> message) =>
        HasSignature(message) ? (int)BinaryPrimitives.ReadUInt32LittleEndian(message[8..]) : 0;

    /// <summary>Answers a NEGOTIATE_MESSAGE with a CHALLENGE_MESSAGE; null when the message is not a NEGOTIATE.</summary>
    public byte[]? Challenge(byte[] negotiate)
    {
        if (MessageType(negotiate) != 1 || negotiate.Length < 16)
        {
            return null;
        }
        var clientFlags = (NtlmFlags)BinaryPrimitives.ReadUInt32LittleEndian(negotiate.AsSpan(12));
        // What the client asked for that we support, plus what this server always offers (the client's AUTHENTICATE
        // flags decide what is used).
        var flags = (clientFlags & Supported) | NtlmFlags.Unicode | NtlmFlags.Ntlm | NtlmFlags.TargetInfo | NtlmFlags.TargetTypeServer
            | NtlmFlags.ExtendedSessionSecurity | NtlmFlags.Version | NtlmFlags.Sign | NtlmFlags.Seal | NtlmFlags.AlwaysSign
            | NtlmFlags.Key128 | NtlmFlags.Key56 | NtlmFlags.KeyExchange;
        _serverChallenge = RandomNumberGenerator.GetBytes(8);
        _negotiate = negotiate;
        _challenge = BuildChallenge(flags, _serverChallenge, TargetInfo());
        return _challenge;
    }

    /// <summary>Verifies an AUTHENTICATE_MESSAGE; the session (keys for sealing) when the login is good, else null.</summary>
    public NtlmSession? Authenticate(byte[] authenticate)
    {
        Failure = null;
        if (_serverChallenge is null || _negotiate is null || _challenge is null)
        {
            return Fail("AUTHENTICATE without a CHALLENGE on this connection");
        }
        var message = NtlmAuthenticateMessage.Parse(authenticate);
        if (message is null)
        {
            return Fail("malformed AUTHENTICATE message");
        }
        if (message.NtResponse.Length <= 24)
        {
            return Fail("only NTLMv2 is accepted");
        }
        if (!message.Flags.HasFlag(NtlmFlags.ExtendedSessionSecurity))
        {
            return Fail("extended session security is required");
        }
        var (name, domain) = SplitUser(message.User, message.Domain);
        var ntProof = message.NtResponse.AsSpan(0, 16);
        var temp = message.NtResponse.AsSpan(16);
        foreach (var user in users)
        {
            if (!string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase) || !DomainMatches(user, domain, names))
            {
                continue;
            }
            // The client hashed the user and domain exactly as it sent them.
            var responseKey = NtlmCrypto.NtowfV2(user.Password, message.User, message.Domain);
            var expected = NtlmCrypto.NtProofStr(responseKey, _serverChallenge, temp);
            if (!CryptographicOperations.FixedTimeEquals(expected, ntProof))
            {
                continue;
            }
            var sessionBaseKey = NtlmCrypto.SessionBaseKey(responseKey, ntProof);
            var exported = message.Flags.HasFlag(NtlmFlags.KeyExchange) && message.EncryptedRandomSessionKey.Length == 16
                ? Rc4.Apply(sessionBaseKey, message.EncryptedRandomSessionKey)
                : sessionBaseKey;
            if (ClientSentMic(temp) && !MicMatches(exported, authenticate))
            {
                return Fail("the MIC does not match the handshake");
            }
            return new NtlmSession(exported, message.Flags, isServer: true, user.Name, domain);
        }
        return Fail($"unknown user or wrong password for '{name}'");
    }

    NtlmSession? Fail(string reason)
    {
        Failure = reason;
        return null;
    }

    /// <summary><c>user@domain</c> in the user field with no domain is a UPN.</summary>
    static (string Name, string Domain) SplitUser(string user, string domain)
    {
        var at = user.LastIndexOf('@');
        return domain.Length == 0 && at > 0 ? (user[..at], user[(at + 1)..]) : (user, domain);
    }

    /// <summary>A local account (no domain) takes no domain, ".", or the computer name; a domain account its own domain.</summary>
    public static bool DomainMatches(WinRmTestUser user, string domain, NtlmServerNames names) => user.Domain is { } own
        ? string.Equals(own, domain, StringComparison.OrdinalIgnoreCase)
        : domain.Length == 0 || domain == "." || string.Equals(domain, names.NetBiosComputer, StringComparison.OrdinalIgnoreCase)
            || string.Equals(domain, names.DnsComputer, StringComparison.OrdinalIgnoreCase);

    /// <summary>The client's AV pairs in temp (after its 28-byte header) carry MsvAvFlags bit 0x2 when a MIC is present.</summary>
    static bool ClientSentMic(ReadOnlySpan<byte> temp)
    {
        var at = 28;
        while (at + 4 <= temp.Length)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(temp[at..]);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(temp[(at + 2)..]);
            if (id == 0 || at + 4 + length > temp.Length)
            {
                return false;
            }
            if (id == 6 && length == 4)
            {
                return (BinaryPrimitives.ReadUInt32LittleEndian(temp[(at + 4)..]) & 0x2) != 0;
            }
            at += 4 + length;
        }
        return false;
    }

    bool MicMatches(byte[] exportedSessionKey, byte[] authenticate)
    {
        if (authenticate.Length < NtlmAuthenticateMessage.MicOffset + 16)
        {
            return false;
        }
        var mic = authenticate.AsSpan(NtlmAuthenticateMessage.MicOffset, 16).ToArray();
        var zeroed = (byte[])authenticate.Clone();
        zeroed.AsSpan(NtlmAuthenticateMessage.MicOffset, 16).Clear();
        var expected = HMACMD5.HashData(exportedSessionKey, (byte[])[.. _negotiate!, .. _challenge!, .. zeroed]);
        return CryptographicOperations.FixedTimeEquals(expected, mic);
    }

    byte[] TargetInfo()
    {
        var info = new List<byte>();
        AddPair(info, 2, Encoding.Unicode.GetBytes(names.NetBiosDomain));
        AddPair(info, 1, Encoding.Unicode.GetBytes(names.NetBiosComputer));
        AddPair(info, 4, Encoding.Unicode.GetBytes(names.NetBiosDomain.ToLowerInvariant() + ".test"));
        AddPair(info, 3, Encoding.Unicode.GetBytes(names.DnsComputer));
        var timestamp = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(timestamp, time.GetUtcNow().ToFileTime());
        AddPair(info, 7, timestamp);
        AddPair(info, 0, []);
        return [.. info];
    }

    static void AddPair(List<byte> info, ushort id, byte[] value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, id);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)value.Length);
        info.AddRange(header);
        info.AddRange(value);
    }

    byte[] BuildChallenge(NtlmFlags flags, byte[] serverChallenge, byte[] targetInfo)
    {
        const int payloadOffset = 56;
        var targetName = Encoding.Unicode.GetBytes(names.NetBiosComputer);
        var message = new byte[payloadOffset + targetName.Length + targetInfo.Length];
        Signature.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), 2);
        WriteField(message, 12, targetName.Length, payloadOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), (uint)flags);
        serverChallenge.CopyTo(message, 24);
        WriteField(message, 40, targetInfo.Length, payloadOffset + targetName.Length);
        // Version: Windows 10.0 build 17763, NTLMSSP revision 15.
        message[48] = 10;
        message[49] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(50), 17763);
        message[55] = 15;
        targetName.CopyTo(message, payloadOffset);
        targetInfo.CopyTo(message, payloadOffset + targetName.Length);
        return message;
    }

    static void WriteField(byte[] message, int at, int length, int offset)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at), (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at + 2), (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(at + 4), (uint)offset);
    }
}
