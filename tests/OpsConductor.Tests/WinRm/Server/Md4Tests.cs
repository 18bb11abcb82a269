using System.Text;
using OpsConductor.WinRmServer.Ntlm;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>Our MD4 against the test suite of RFC 1320 (appendix A.5).</summary>
public class Md4Tests
{
    [Theory]
    [InlineData("", "31d6cfe0d16ae931b73c59d7e0c089c0")]
    [InlineData("a", "bde52cb31de33e46245e05fbdbd6fb24")]
    [InlineData("abc", "a448017aaf21d8525fc10ae87aa6729d")]
    [InlineData("message digest", "d9130a8164549fe818874806e1c7014b")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536")]
    public void Rfc1320_test_suite(string input, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Md4.Hash(Encoding.ASCII.GetBytes(input))));

    [Fact]
    public void Inputs_around_the_padding_boundary_differ_from_each_other()
    {
        // 55, 56 and 64 bytes take one, two and two blocks of padding: all must hash, and differently.
        var hashes = new[] { 55, 56, 63, 64, 65 }.Select(n => Convert.ToHexString(Md4.Hash(new byte[n]))).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void Nt_hash_of_Password_is_the_MS_NLMP_value() =>
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", Convert.ToHexStringLower(NtlmCrypto.NtHash("Password")));
}
