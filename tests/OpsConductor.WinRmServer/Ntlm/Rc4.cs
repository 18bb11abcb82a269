namespace OpsConductor.WinRmServer.Ntlm;

/// <summary>
/// RC4, the stream cipher NTLM seals messages and signatures with ([MS-NLMP] 3.4.3). One instance is one
/// keystream: NTLM keeps a handle per direction for the whole connection, so state carries over between calls.
/// </summary>
public sealed class Rc4
{
    readonly byte[] _s = new byte[256];
    int _i;
    int _j;

    public Rc4(ReadOnlySpan<byte> key)
    {
        for (var k = 0; k < 256; k++)
        {
            _s[k] = (byte)k;
        }
        var j = 0;
        for (var k = 0; k < 256; k++)
        {
            j = (j + _s[k] + key[k % key.Length]) & 0xff;
            (_s[k], _s[j]) = (_s[j], _s[k]);
        }
    }

    /// <summary>XORs <paramref name="data"/> with the next bytes of the keystream, in place.</summary>
    public void TransformInPlace(Span<byte> data)
    {
        for (var n = 0; n < data.Length; n++)
        {
            _i = (_i + 1) & 0xff;
            _j = (_j + _s[_i]) & 0xff;
            (_s[_i], _s[_j]) = (_s[_j], _s[_i]);
            data[n] ^= _s[(_s[_i] + _s[_j]) & 0xff];
        }
    }

    public byte[] Transform(ReadOnlySpan<byte> data)
    {
        var output = data.ToArray();
        TransformInPlace(output);
        return output;
    }

    /// <summary>One-shot RC4 with a fresh key (the KEY_EXCH session key).</summary>
    public static byte[] Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => new Rc4(key).Transform(data);
}
