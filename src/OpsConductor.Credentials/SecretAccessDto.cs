namespace OpsConductor.Credentials;

public sealed record SecretAccessDto(long Id, long CredentialId, int Version, string Service, string Purpose, long? RunId, string? Actor,
    DateTimeOffset AccessedAt);
