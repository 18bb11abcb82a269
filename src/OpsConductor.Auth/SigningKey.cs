using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

/// <summary>
/// The RSA key that signs access tokens. Kept as a PEM file (owner-only) in the data directory, or at
/// <c>OpsConductor:Auth:SigningKeyPath</c>, so tokens survive restarts; created on first start.
/// </summary>
public sealed class SigningKey : ISigningKeySource
{
    public RsaSecurityKey PrivateKey { get; }
    public JsonWebKey PublicJwk { get; }
    readonly IReadOnlyList<SecurityKey> _verificationKeys;

    SigningKey(RSA rsa)
    {
        var publicOnly = RSA.Create();
        publicOnly.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
        var kid = Base64UrlEncoder.Encode(new RsaSecurityKey(publicOnly).ComputeJwkThumbprint());
        PrivateKey = new RsaSecurityKey(rsa) { KeyId = kid };
        var verification = new RsaSecurityKey(publicOnly) { KeyId = kid };
        PublicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(verification);
        PublicJwk.Use = "sig";
        PublicJwk.Alg = SecurityAlgorithms.RsaSha256;
        _verificationKeys = [verification];
    }

    public static SigningKey LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return new SigningKey(rsa);
        }
        rsa.KeySize = 2048;
        SecretFiles.CreateOwnerOnly(path, rsa.ExportPkcs8PrivateKeyPem());
        return new SigningKey(rsa);
    }

    public ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_verificationKeys);

    public void RequestRefresh()
    {
    }

    public IReadOnlyList<SecurityKey>? FixedKeys => _verificationKeys;
}
