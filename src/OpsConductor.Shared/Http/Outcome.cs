namespace OpsConductor.Shared.Http;

/// <summary>What a request to a module's service came to; the endpoint maps each case to its HTTP answer.</summary>
public abstract record Outcome<T>
{
    public sealed record Success(T Value) : Outcome<T>;

    public sealed record Invalid(ValidationErrors Errors) : Outcome<T>;

    public sealed record NotFound(long Id) : Outcome<T>;

    public sealed record Conflict(string Detail) : Outcome<T>;

    public sealed record Forbidden(string Detail) : Outcome<T>;
}
