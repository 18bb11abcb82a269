using System.Buffers;
using System.Net;
using System.Net.Security;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.WinRmServer;
using OpsConductor.WinRmServer.Ntlm;

namespace OpsConductor.Tests.WinRm.Server;

/// <summary>
/// Our acceptor against a real NTLM initiator: .NET's managed NTLM (NegotiateAuthentication, the one the WinRM
/// client uses), including the MIC, KEY_EXCH and sealing in both directions.
/// </summary>
public class NtlmAcceptorTests
{
    static readonly WinRmTestUser[] Users =
    [
        new(WinRmServerFixture.User, WinRmServerFixture.Password),
        new(WinRmServerFixture.DomainUser, WinRmServerFixture.DomainPassword, WinRmServerFixture.Domain),
    ];

    static NtlmAcceptorTests() => AppContext.SetSwitch("System.Net.Security.UseManagedNtlm", true);

    static NegotiateAuthentication Client(string user, string password, string domain = "") => new(new NegotiateAuthenticationClientOptions
    {
        Package = "NTLM",
        Credential = new NetworkCredential(user, password, domain),
        TargetName = "HTTP/127.0.0.1",
        RequiredProtectionLevel = ProtectionLevel.EncryptAndSign,
    });

    /// <summary>NEGOTIATE, CHALLENGE, AUTHENTICATE: the acceptor's session, or null with its failure reason.</summary>
    static (NtlmSession? Session, NtlmAcceptor Acceptor) Handshake(NegotiateAuthentication client)
    {
        var acceptor = new NtlmAcceptor(Users, NtlmServerNames.Default, TimeProvider.System);
        var negotiate = client.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out var status);
        Assert.Equal(NegotiateAuthenticationStatusCode.ContinueNeeded, status);
        var challenge = acceptor.Challenge(negotiate!);
        Assert.NotNull(challenge);
        var authenticate = client.GetOutgoingBlob(challenge, out status);
        Assert.Equal(NegotiateAuthenticationStatusCode.Completed, status);
        return (acceptor.Authenticate(authenticate!), acceptor);
    }

    [Fact]
    public void A_local_account_logs_in_and_messages_are_sealed_both_ways()
    {
        using var client = Client(WinRmServerFixture.User, WinRmServerFixture.Password);
        var (session, acceptor) = Handshake(client);
        Assert.True(session is not null, acceptor.Failure);
        Assert.Equal(WinRmServerFixture.User, session.User);
        Assert.True(session.Flags.HasFlag(NtlmFlags.Seal) && session.Flags.HasFlag(NtlmFlags.KeyExchange));

        for (var i = 0; i < 3; i++)
        {
            var request = System.Text.Encoding.UTF8.GetBytes($"<s:Envelope>request {i}</s:Envelope>");
            var writer = new ArrayBufferWriter<byte>();
            Assert.Equal(NegotiateAuthenticationStatusCode.Completed, client.Wrap(request, writer, requestEncryption: true, out var encrypted));
            Assert.True(encrypted);
            var token = writer.WrittenSpan;
            // NTLM's wrap token is the 16-byte signature followed by the sealed bytes.
            Assert.Equal(request, session.Unwrap(token[16..], token[..16]));

            var reply = System.Text.Encoding.UTF8.GetBytes($"<s:Envelope>reply {i}</s:Envelope>");
            var (sealedReply, signature) = session.Wrap(reply);
            var plain = new ArrayBufferWriter<byte>();
            Assert.Equal(NegotiateAuthenticationStatusCode.Completed, client.Unwrap([.. signature, .. sealedReply], plain, out var wasEncrypted));
            Assert.True(wasEncrypted);
            Assert.Equal(reply, plain.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void A_domain_account_logs_in_with_its_domain()
    {
        using var client = Client(WinRmServerFixture.DomainUser, WinRmServerFixture.DomainPassword, WinRmServerFixture.Domain);
        var (session, acceptor) = Handshake(client);
        Assert.True(session is not null, acceptor.Failure);
        Assert.Equal(WinRmServerFixture.Domain, session.Domain);
    }

    [Fact]
    public void A_domain_account_from_another_domain_is_refused()
    {
        using var client = Client(WinRmServerFixture.DomainUser, WinRmServerFixture.DomainPassword, "OTHER");
        var (session, acceptor) = Handshake(client);
        Assert.Null(session);
        Assert.Contains(WinRmServerFixture.DomainUser, acceptor.Failure);
    }

    [Fact]
    public void A_wrong_password_is_refused_and_the_reason_has_no_secret()
    {
        using var client = Client(WinRmServerFixture.User, "not-the-password");
        var (session, acceptor) = Handshake(client);
        Assert.Null(session);
        Assert.DoesNotContain("not-the-password", acceptor.Failure);
        Assert.DoesNotContain(WinRmServerFixture.Password, acceptor.Failure);
    }

    [Fact]
    public void A_tampered_sealed_message_does_not_verify()
    {
        using var client = Client(WinRmServerFixture.User, WinRmServerFixture.Password);
        var (session, _) = Handshake(client);
        var writer = new ArrayBufferWriter<byte>();
        client.Wrap("<s:Envelope/>"u8, writer, requestEncryption: true, out _);
        var token = writer.WrittenSpan.ToArray();
        token[^1] ^= 0x01;
        Assert.Null(session!.Unwrap(token[16..], token[..16]));
    }

    [Fact]
    public void The_challenge_carries_the_flags_and_AV_pairs_Windows_sends()
    {
        using var client = Client(WinRmServerFixture.User, WinRmServerFixture.Password);
        var acceptor = new NtlmAcceptor(Users, NtlmServerNames.Default, TimeProvider.System);
        var challenge = acceptor.Challenge(client.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out _)!)!;
        Assert.Equal(2, NtlmAcceptor.MessageType(challenge));
        var flags = (NtlmFlags)BitConverter.ToUInt32(challenge, 20);
        foreach (var flag in new[] { NtlmFlags.Seal, NtlmFlags.Sign, NtlmFlags.KeyExchange, NtlmFlags.Key128, NtlmFlags.Key56, NtlmFlags.ExtendedSessionSecurity, NtlmFlags.TargetInfo })
        {
            Assert.True(flags.HasFlag(flag), flag.ToString());
        }
        var infoLength = BitConverter.ToUInt16(challenge, 40);
        var infoOffset = BitConverter.ToInt32(challenge, 44);
        var ids = new List<int>();
        for (var at = infoOffset; at < infoOffset + infoLength;)
        {
            var id = BitConverter.ToUInt16(challenge, at);
            ids.Add(id);
            at += 4 + BitConverter.ToUInt16(challenge, at + 2);
        }
        // MsvAvNbComputerName 1, MsvAvNbDomainName 2, MsvAvDnsComputerName 3, MsvAvTimestamp 7, MsvAvEOL 0 last.
        Assert.Subset(ids.ToHashSet(), new HashSet<int> { 1, 2, 3, 7, 0 });
        Assert.Equal(0, ids[^1]);
    }

    [Fact]
    public void Authenticate_without_a_challenge_on_the_connection_is_refused()
    {
        var acceptor = new NtlmAcceptor(Users, NtlmServerNames.Default, TimeProvider.System);
        Assert.Null(acceptor.Authenticate([.. "NTLMSSP\0"u8, 3, 0, 0, 0]));
        Assert.NotNull(acceptor.Failure);
    }
}
