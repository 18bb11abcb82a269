namespace OpsConductor.Credentials;

/// <summary>What another service sends to read a secret over the internal endpoint (split mode).</summary>
public sealed record InternalSecretRequest(string? Purpose, long? RunId, string? Actor);
