using System.Buffers.Binary;
using System.Text;

namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>The fields of an AUTHENTICATE_MESSAGE ([MS-NLMP] 2.2.1.3) the acceptor verifies.</summary>
public sealed record NtlmAuthenticateMessage(
    byte[] LmResponse,
    byte[] NtResponse,
    string Domain,
    string User,
    string Workstation,
    byte[] EncryptedRandomSessionKey,
    NtlmFlags Flags)
{
    /// <summary>The MIC's offset: after the 8-byte Version.</summary>
    public const int MicOffset = 72;

    public static NtlmAuthenticateMessage? Parse(byte[] message)
    {
        if (message.Length < 64 || !NtlmAcceptor.HasSignature(message) || BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8)) != 3)
        {
            return null;
        }
        var flags = (NtlmFlags)BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(60));
        var encoding = flags.HasFlag(NtlmFlags.Unicode) ? Encoding.Unicode : Encoding.ASCII;
        var lm = Field(message, 12);
        var nt = Field(message, 20);
        var domain = Field(message, 28);
        var user = Field(message, 36);
        var workstation = Field(message, 44);
        var key = Field(message, 52);
        if (lm is null || nt is null || domain is null || user is null || workstation is null || key is null)
        {
            return null;
        }
        return new NtlmAuthenticateMessage(lm, nt, encoding.GetString(domain), encoding.GetString(user), encoding.GetString(workstation), key, flags);
    }

    /// <summary>A (length, max length, offset) field, or null when it points outside the message.</summary>
    static byte[]? Field(byte[] message, int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(at));
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at + 4));
        if (length == 0)
        {
            return [];
        }
        return offset + (long)length > message.Length ? null : message.AsSpan((int)offset, length).ToArray();
    }
}
