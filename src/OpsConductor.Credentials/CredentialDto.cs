using OpsConductor.Shared.Contracts;

namespace OpsConductor.Credentials;

/// <summary>What the API shows of a credential: metadata and secret bookkeeping, never the secret.</summary>
public sealed record CredentialDto(long Id, string Name, CredentialType Type, string? Description, string? Username, string? Domain,
    WinRmAuthentication? Authentication, bool HasSecret, int SecretVersion, DateTimeOffset? RotatedAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
