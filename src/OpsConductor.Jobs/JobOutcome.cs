using OpsConductor.Shared.Http;

namespace OpsConductor.Jobs;

/// <summary>What a request to <see cref="JobCatalog"/> came to; the endpoint maps each case to its HTTP answer.</summary>
public abstract record JobOutcome<T>
{
    public sealed record Success(T Value) : JobOutcome<T>;

    public sealed record Invalid(ValidationErrors Errors) : JobOutcome<T>;

    public sealed record NotFound(long Id) : JobOutcome<T>;

    public sealed record Conflict(string Detail) : JobOutcome<T>;
}
