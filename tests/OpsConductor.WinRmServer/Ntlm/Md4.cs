using System.Buffers.Binary;

namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>
/// MD4 (RFC 1320), only for the NT hash of NTLM: .NET has no MD4 and Debian's OpenSSL 3 keeps it in the legacy
/// provider. Not for anything else.
/// </summary>
public static class Md4
{
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        var bitLength = (ulong)data.Length * 8;
        var paddedLength = ((data.Length + 8) / 64 + 1) * 64;
        var buffer = new byte[paddedLength];
        data.CopyTo(buffer);
        buffer[data.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(paddedLength - 8), bitLength);

        Span<uint> x = stackalloc uint[16];
        for (var offset = 0; offset < paddedLength; offset += 64)
        {
            for (var i = 0; i < 16; i++)
            {
                x[i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + i * 4));
            }
            uint aa = a, bb = b, cc = c, dd = d;

            // Round 1: F(x,y,z) = (x & y) | (~x & z)
            foreach (var k in new[] { 0, 4, 8, 12 })
            {
                a = Rotl(a + F(b, c, d) + x[k], 3);
                d = Rotl(d + F(a, b, c) + x[k + 1], 7);
                c = Rotl(c + F(d, a, b) + x[k + 2], 11);
                b = Rotl(b + F(c, d, a) + x[k + 3], 19);
            }
            // Round 2: G(x,y,z) = (x & y) | (x & z) | (y & z), constant 0x5a827999
            foreach (var k in new[] { 0, 1, 2, 3 })
            {
                a = Rotl(a + G(b, c, d) + x[k] + 0x5a827999, 3);
                d = Rotl(d + G(a, b, c) + x[k + 4] + 0x5a827999, 5);
                c = Rotl(c + G(d, a, b) + x[k + 8] + 0x5a827999, 9);
                b = Rotl(b + G(c, d, a) + x[k + 12] + 0x5a827999, 13);
            }
            // Round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ed9eba1
            foreach (var k in new[] { 0, 2, 1, 3 })
            {
                a = Rotl(a + H(b, c, d) + x[k] + 0x6ed9eba1, 3);
                d = Rotl(d + H(a, b, c) + x[k + 8] + 0x6ed9eba1, 9);
                c = Rotl(c + H(d, a, b) + x[k + 4] + 0x6ed9eba1, 11);
                b = Rotl(b + H(c, d, a) + x[k + 12] + 0x6ed9eba1, 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }

        var digest = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(0), a);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4), b);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(8), c);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(12), d);
        return digest;
    }

    static uint F(uint x, uint y, uint z) => (x & y) | (~x & z);

    static uint G(uint x, uint y, uint z) => (x & y) | (x & z) | (y & z);

    static uint H(uint x, uint y, uint z) => x ^ y ^ z;

    static uint Rotl(uint value, int bits) => (value << bits) | (value >> (32 - bits));
}
