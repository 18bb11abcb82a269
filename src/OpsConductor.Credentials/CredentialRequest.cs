using OpsConductor.Shared.Contracts;

namespace OpsConductor.Credentials;

public sealed record CredentialRequest(string? Name, CredentialType? Type, string? Description, string? Username, string? Domain,
    WinRmAuthentication? Authentication, SecretInput? Secret)
{
    public override string ToString() => $"CredentialRequest {{ Name = {Name}, Type = {Type} }}";
}
