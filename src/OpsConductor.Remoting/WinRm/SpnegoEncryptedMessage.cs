using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Security;
using System.Text;

namespace OpsConductor.Remoting.WinRm;

/// <summary>
/// The framing of WinRM message encryption over HTTP ([MS-WSMV] 2.2.9.1.1, as pywinrm's winrm/encryption.py
/// writes it):
/// <code>
/// --Encrypted Boundary\r\n
/// \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
/// \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=N\r\n
/// --Encrypted Boundary\r\n
/// \tContent-Type: application/octet-stream\r\n
/// [4-byte little-endian signature length][signature][sealed bytes]--Encrypted Boundary--\r\n
/// </code>
/// sent with <see cref="ContentType"/>. Both requests and responses use it.
/// </summary>
public static class SpnegoEncryptedMessage
{
    public const string Protocol = "application/HTTP-SPNEGO-session-encrypted";
    public const string Boundary = "Encrypted Boundary";

    /// <summary>The HTTP Content-Type header value of an encrypted body.</summary>
    public const string ContentType = "multipart/encrypted;protocol=\"" + Protocol + "\";boundary=\"" + Boundary + "\"";

    /// <summary>The NTLM signature length (version 1, checksum 8, sequence number 4).</summary>
    public const int NtlmSignatureLength = 16;

    static readonly byte[] BoundaryLine = Encoding.ASCII.GetBytes("--" + Boundary + "\r\n");
    static readonly byte[] EndBoundary = Encoding.ASCII.GetBytes("--" + Boundary + "--\r\n");
    static readonly byte[] OctetStreamHeader = Encoding.ASCII.GetBytes("\tContent-Type: application/octet-stream\r\n");
    static readonly byte[] LengthMarker = Encoding.ASCII.GetBytes("Length=");

    /// <summary>True when a response's Content-Type says the body is SPNEGO-encrypted.</summary>
    public static bool IsEncrypted(string? contentType) =>
        contentType is not null && contentType.Contains("protocol=\"" + Protocol + "\"", StringComparison.OrdinalIgnoreCase);

    /// <summary>Frames one sealed message.</summary>
    public static byte[] Build(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> sealedData, int originalLength)
    {
        var header = Encoding.ASCII.GetBytes(
            "--" + Boundary + "\r\n"
            + "\tContent-Type: " + Protocol + "\r\n"
            + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + originalLength.ToString(CultureInfo.InvariantCulture) + "\r\n"
            + "--" + Boundary + "\r\n"
            + "\tContent-Type: application/octet-stream\r\n");
        var result = new byte[header.Length + 4 + signature.Length + sealedData.Length + EndBoundary.Length];
        var span = result.AsSpan();
        header.CopyTo(span);
        var at = header.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], signature.Length);
        at += 4;
        signature.CopyTo(span[at..]);
        at += signature.Length;
        sealedData.CopyTo(span[at..]);
        at += sealedData.Length;
        EndBoundary.CopyTo(span[at..]);
        return result;
    }

    /// <summary>Reads the encrypted parts of a body (one for NTLM; several are accepted and kept in order).</summary>
    public static IReadOnlyList<SpnegoEncryptedPart> Parse(ReadOnlySpan<byte> body)
    {
        var parts = new List<SpnegoEncryptedPart>();
        var rest = body;
        while (true)
        {
            var start = rest.IndexOf(BoundaryLine);
            if (start < 0)
            {
                break;
            }
            rest = rest[(start + BoundaryLine.Length)..];
            // Part 1: the headers up to the next boundary line, with OriginalContent ...;Length=N.
            var next = rest.IndexOf(BoundaryLine);
            if (next < 0)
            {
                throw Malformed("the second boundary is missing");
            }
            var headers = rest[..next];
            var lengthAt = headers.IndexOf(LengthMarker);
            if (lengthAt < 0)
            {
                throw Malformed("OriginalContent has no Length");
            }
            var digits = headers[(lengthAt + LengthMarker.Length)..];
            var digitCount = 0;
            while (digitCount < digits.Length && digits[digitCount] is >= (byte)'0' and <= (byte)'9')
            {
                digitCount++;
            }
            if (digitCount == 0 || !int.TryParse(Encoding.ASCII.GetString(digits[..digitCount]), NumberStyles.None, CultureInfo.InvariantCulture, out var originalLength))
            {
                throw Malformed("OriginalContent Length is not a number");
            }
            rest = rest[(next + BoundaryLine.Length)..];
            // Part 2: "\tContent-Type: application/octet-stream\r\n" then the binary payload.
            var typeAt = rest.IndexOf(OctetStreamHeader);
            if (typeAt < 0)
            {
                throw Malformed("the octet-stream part is missing");
            }
            rest = rest[(typeAt + OctetStreamHeader.Length)..];
            if (rest.Length < 4)
            {
                throw Malformed("the payload is truncated");
            }
            var signatureLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
            if (signatureLength < 0 || signatureLength > rest.Length - 4)
            {
                throw Malformed("the signature length is out of range");
            }
            var signature = rest.Slice(4, signatureLength).ToArray();
            rest = rest[(4 + signatureLength)..];
            // The sealed bytes run to the next boundary: the last part ends with "--Encrypted Boundary--\r\n",
            // others with "--Encrypted Boundary\r\n". The sealed length equals the plaintext length (RC4).
            if (originalLength > rest.Length)
            {
                throw Malformed("the sealed data is shorter than the declared length");
            }
            var sealedData = rest[..originalLength].ToArray();
            rest = rest[originalLength..];
            parts.Add(new SpnegoEncryptedPart(originalLength, signature, sealedData));
            if (rest.StartsWith(EndBoundary))
            {
                break;
            }
        }
        if (parts.Count == 0)
        {
            throw Malformed("no encrypted part");
        }
        return parts;
    }

    /// <summary>Seals <paramref name="plaintext"/> with an authenticated NTLM context and frames it.</summary>
    public static byte[] Encrypt(NegotiateAuthentication context, ReadOnlySpan<byte> plaintext)
    {
        var writer = new ArrayBufferWriter<byte>(plaintext.Length + NtlmSignatureLength);
        var status = context.Wrap(plaintext, writer, requestEncryption: true, out var encrypted);
        if (status != NegotiateAuthenticationStatusCode.Completed || !encrypted)
        {
            throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"Sealing the request failed ({status}).");
        }
        var token = writer.WrittenSpan;
        return Build(token[..NtlmSignatureLength], token[NtlmSignatureLength..], plaintext.Length);
    }

    /// <summary>Parses, unseals and verifies an encrypted body; a bad signature or length is a protocol error.</summary>
    public static byte[] Decrypt(NegotiateAuthentication context, ReadOnlySpan<byte> body)
    {
        using var result = new MemoryStream();
        foreach (var part in Parse(body))
        {
            var writer = new ArrayBufferWriter<byte>(Math.Max(1, part.Sealed.Length));
            var status = context.Unwrap(part.Token, writer, out _);
            if (status != NegotiateAuthenticationStatusCode.Completed)
            {
                throw new WinRmConnectException(WinRmFailureKind.ProtocolError, $"The server's encrypted answer failed verification ({status}).");
            }
            if (writer.WrittenCount != part.OriginalLength)
            {
                throw Malformed("the decrypted length differs from the declared length");
            }
            result.Write(writer.WrittenSpan);
        }
        return result.ToArray();
    }

    static WinRmConnectException Malformed(string why) =>
        new(WinRmFailureKind.ProtocolError, $"The encrypted message is malformed: {why}.");
}
