using OpsConductor.Shared.Http;

namespace OpsConductor.Credentials;

/// <summary>What a request to <see cref="CredentialStore"/> came to; the endpoint maps each case to its HTTP answer.</summary>
public abstract record CredentialOutcome<T>
{
    public sealed record Success(T Value) : CredentialOutcome<T>;

    public sealed record Invalid(ValidationErrors Errors) : CredentialOutcome<T>;

    public sealed record NotFound(long Id) : CredentialOutcome<T>;

    public sealed record Conflict(string Detail) : CredentialOutcome<T>;
}
