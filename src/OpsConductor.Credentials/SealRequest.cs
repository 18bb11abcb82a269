namespace OpsConductor.Credentials;

public sealed record SealRequest(string? Purpose, string? Secret)
{
    public override string ToString() => $"SealRequest {{ Purpose = {Purpose} }}";
}

public sealed record UnsealRequest(string? Purpose, string? Sealed);

public sealed record SealedSecretDto(string Sealed);

public sealed record UnsealedSecretDto(string Secret)
{
    public override string ToString() => "UnsealedSecretDto { Secret = *** }";
}
