namespace OpsConductor.Credentials;

public sealed record SecretInput(string? Password, string? PrivateKey, string? Passphrase, string? Key)
{
    public override string ToString() => "SecretInput { (redacted) }";
}
