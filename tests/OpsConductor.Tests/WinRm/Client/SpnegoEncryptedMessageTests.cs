using System.Text;
using OpsConductor.Remoting.WinRm;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.WinRm.Client;

/// <summary>
/// The HTTP-SPNEGO-session-encrypted framing, both ways against pywinrm's own winrm/encryption.py (Debian's
/// python3-winrm). pywinrm's seal comes from requests-ntlm's session; here a fixed byte transform stands in for RC4 on
/// both sides, so the test checks the framing bytes exactly (the NTLM seal itself is exercised end to end against
/// the test server on the winrm-server branch).
/// </summary>
public sealed class SpnegoEncryptedMessageTests
{
    const string Python = "/usr/bin/python3";

    // Sealing stand-in: XOR 0x5A; the signature: 16 bytes 0x01, 0x02, ... 0x10.
    const string PywinrmSide = """
import base64, sys
import requests
from winrm.encryption import Encryption

class Security:
    def wrap(self, message):
        return bytes(b ^ 0x5A for b in message), bytes(range(1, 17))
    def unwrap(self, message, signature):
        assert signature == bytes(range(1, 17)), signature
        return bytes(b ^ 0x5A for b in message)

class Auth(requests.auth.AuthBase):
    session_security = Security()
    def __call__(self, request):
        return request

session = requests.Session()
session.auth = Auth()
enc = Encryption(session, 'ntlm')
mode = sys.argv[1]
if mode == 'build':
    message = sys.stdin.buffer.read()
    request = enc.prepare_encrypted_request(session, 'http://127.0.0.1:5985/wsman', message)
    print(request.headers['Content-Type'])
    print(base64.b64encode(request.body).decode())
else:
    body = base64.b64decode(sys.stdin.buffer.read())
    class Response:
        headers = {'Content-Type': 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"'}
        content = body
        class request:
            url = 'http://127.0.0.1:5985/wsman'
    sys.stdout.buffer.write(enc.parse_encrypted_response(Response()))
""";

    static readonly byte[] Signature = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    static byte[] Xor(ReadOnlySpan<byte> data)
    {
        var result = data.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] ^= 0x5A;
        }
        return result;
    }

    [Fact]
    public async Task A_frame_pywinrm_builds_parses_to_its_signature_and_sealed_bytes_and_we_build_the_same_bytes()
    {
        var plaintext = Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>ünï</s:Body></s:Envelope>");

        var run = await LocalProcess.RunAsync(Python, ["-c", PywinrmSide, "build"], plaintext);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var body = Convert.FromBase64String(lines[1].Trim());
        Assert.Equal(SpnegoEncryptedMessage.ContentType, lines[0].Trim());
        Assert.True(SpnegoEncryptedMessage.IsEncrypted(lines[0]));

        var part = Assert.Single(SpnegoEncryptedMessage.Parse(body));
        Assert.Equal(plaintext.Length, part.OriginalLength);
        Assert.Equal(Signature, part.Signature);
        Assert.Equal(plaintext, Xor(part.Sealed));

        Assert.Equal(body, SpnegoEncryptedMessage.Build(Signature, Xor(plaintext), plaintext.Length));
    }

    [Fact]
    public async Task A_frame_we_build_is_read_back_by_pywinrm()
    {
        var plaintext = Encoding.UTF8.GetBytes("<s:Envelope>--Encrypted Boundary inside the text is fine</s:Envelope>");
        var body = SpnegoEncryptedMessage.Build(Signature, Xor(plaintext), plaintext.Length);

        var run = await LocalProcess.RunAsync(Python, ["-c", PywinrmSide, "parse"], Encoding.ASCII.GetBytes(Convert.ToBase64String(body)));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(Encoding.UTF8.GetString(plaintext), run.Stdout);
    }

    [Fact]
    public void Build_then_parse_round_trips_binary_that_contains_the_boundary()
    {
        var sealedBytes = Encoding.ASCII.GetBytes("--Encrypted Boundary--\r\n--Encrypted Boundary\r\n\0\u00ff");

        var frame = SpnegoEncryptedMessage.Build(Signature, sealedBytes, sealedBytes.Length);
        var part = Assert.Single(SpnegoEncryptedMessage.Parse(frame));

        Assert.Equal(sealedBytes, part.Sealed);
        Assert.Equal(Signature, part.Signature);
        Assert.Equal([.. Signature, .. sealedBytes], part.Token);
        var text = Encoding.ASCII.GetString(frame);
        Assert.StartsWith("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + sealedBytes.Length + "\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("--Encrypted Boundary--\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n")]
    [InlineData("--Encrypted Boundary\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=99\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n\u0010\0\0\0short")]
    public void Malformed_frames_are_protocol_errors(string body)
    {
        var e = Assert.Throws<WinRmConnectException>(() => SpnegoEncryptedMessage.Parse(Encoding.Latin1.GetBytes(body)));

        Assert.Equal(WinRmFailureKind.ProtocolError, e.Kind);
    }
}
