using System.Text;
using OpsConductor.WinRmServer.Ntlm;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// The NTLMv2 example of [MS-NLMP] 4.2.4: user "User", domain "Domain", password "Password", server challenge
/// 0123456789abcdef, client challenge aa*8, time 0, random session key 55*16, AV pairs NbDomainName "Domain" and
/// NbComputerName "Server"; flags with KEY_EXCH, 128, SEAL, SIGN and extended session security.
/// </summary>
public class NtlmVectorTests
{
    static readonly byte[] ServerChallenge = Convert.FromHexString("0123456789abcdef");

    // temp: Responserversion 1, HiResponserversion 1, Z(6), time 0, client challenge, Z(4), AV pairs, Z(4).
    static readonly byte[] Temp = Convert.FromHexString(
        "01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000"
        + "02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000"
        + "00000000");

    const NtlmFlags Flags = NtlmFlags.KeyExchange | NtlmFlags.Key56 | NtlmFlags.Key128 | NtlmFlags.Version | NtlmFlags.TargetInfo
        | NtlmFlags.ExtendedSessionSecurity | NtlmFlags.TargetTypeServer | NtlmFlags.AlwaysSign | NtlmFlags.Ntlm | NtlmFlags.Seal
        | NtlmFlags.Sign | NtlmFlags.Oem | NtlmFlags.Unicode;

    static byte[] ResponseKey => NtlmCrypto.NtowfV2("Password", "User", "Domain");

    static byte[] ExportedSessionKey => Enumerable.Repeat((byte)0x55, 16).ToArray();

    [Fact]
    public void NTOWFv2() => Assert.Equal("0c868a403bfd7a93a3001ef22ef02e3f", Convert.ToHexStringLower(ResponseKey));

    [Fact]
    public void User_name_is_case_insensitive_domain_is_not()
    {
        Assert.Equal(ResponseKey, NtlmCrypto.NtowfV2("Password", "user", "Domain"));
        Assert.NotEqual(ResponseKey, NtlmCrypto.NtowfV2("Password", "User", "DOMAIN"));
    }

    [Fact]
    public void NTProofStr() =>
        Assert.Equal("68cd0ab851e51c96aabc927bebef6a1c", Convert.ToHexStringLower(NtlmCrypto.NtProofStr(ResponseKey, ServerChallenge, Temp)));

    [Fact]
    public void Session_base_key_and_encrypted_random_session_key()
    {
        var proof = NtlmCrypto.NtProofStr(ResponseKey, ServerChallenge, Temp);
        var sessionBaseKey = NtlmCrypto.SessionBaseKey(ResponseKey, proof);
        Assert.Equal("8de40ccadbc14a82f15cb0ad0de95ca3", Convert.ToHexStringLower(sessionBaseKey));
        // The client RC4-encrypts its random session key with the KeyExchangeKey; the acceptor decrypts it.
        var encrypted = Rc4.Apply(sessionBaseKey, ExportedSessionKey);
        Assert.Equal("c5dad2544fc9799094ce1ce90bc9d03e", Convert.ToHexStringLower(encrypted));
        Assert.Equal(ExportedSessionKey, Rc4.Apply(sessionBaseKey, encrypted));
    }

    [Fact]
    public void Client_signing_and_sealing_keys()
    {
        Assert.Equal("4788dc861b4782f35d43fd98fe1a2d39", Convert.ToHexStringLower(NtlmCrypto.SignKey(ExportedSessionKey, NtlmCrypto.ClientSigningMagic)));
        Assert.Equal("59f600973cc4960a25480a7c196e4c58", Convert.ToHexStringLower(NtlmCrypto.SealKey(ExportedSessionKey, Flags, NtlmCrypto.ClientSealingMagic)));
    }

    [Fact]
    public void Sealed_Plaintext_and_its_signature_with_sequence_number_0()
    {
        var client = new NtlmSession(ExportedSessionKey, Flags, isServer: false, "User", "Domain");
        var (sealedMessage, signature) = client.Wrap(Encoding.Unicode.GetBytes("Plaintext"));
        Assert.Equal("54e50165bf1936dc996020c1811b0f06fb5f", Convert.ToHexStringLower(sealedMessage));
        Assert.Equal("010000007fb38ec5c55d497600000000", Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void The_server_role_unseals_what_the_client_role_sealed_in_sequence_and_rejects_replays()
    {
        var client = new NtlmSession(ExportedSessionKey, Flags, isServer: false, "User", "Domain");
        var server = new NtlmSession(ExportedSessionKey, Flags, isServer: true, "User", "Domain");
        for (var i = 0; i < 3; i++)
        {
            var text = Encoding.UTF8.GetBytes($"<s:Envelope>{i}</s:Envelope>");
            var (sealedMessage, signature) = client.Wrap(text);
            Assert.Equal(i, BitConverter.ToInt32(signature, 12));
            Assert.Equal(text, server.Unwrap(sealedMessage, signature));
            var (reply, replySignature) = server.Wrap(text);
            Assert.Equal(text, client.Unwrap(reply, replySignature));
        }
        // A replayed message has the wrong sequence number (and keystream): refused.
        var (first, firstSignature) = new NtlmSession(ExportedSessionKey, Flags, isServer: false, "User", "Domain").Wrap("x"u8);
        Assert.Null(server.Unwrap(first, firstSignature));
    }

    [Fact]
    public void Rc4_known_answer() =>
        // The "Key"/"Plaintext" example of the original RC4 test vectors.
        Assert.Equal("bbf316e8d940af0ad3", Convert.ToHexStringLower(Rc4.Apply("Key"u8, "Plaintext"u8)));
}
