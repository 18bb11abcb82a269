using OpsConductor.Shared.Http;

namespace OpsConductor.Users;

/// <summary>What a request to <see cref="UserAccounts"/> came to; the endpoint maps each case to its HTTP answer.</summary>
public abstract record UserOutcome<T>
{
    public sealed record Success(T Value) : UserOutcome<T>;

    public sealed record Invalid(ValidationErrors Errors) : UserOutcome<T>;

    public sealed record NotFound(long Id) : UserOutcome<T>;

    public sealed record Conflict(string Detail) : UserOutcome<T>;

    public sealed record Forbidden(string Detail) : UserOutcome<T>;
}
