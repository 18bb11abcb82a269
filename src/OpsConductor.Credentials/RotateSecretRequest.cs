namespace OpsConductor.Credentials;

public sealed record RotateSecretRequest(SecretInput? Secret)
{
    public override string ToString() => "RotateSecretRequest { (redacted) }";
}
