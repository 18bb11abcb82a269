using OpsConductor.Shared.Http;

namespace OpsConductor.Targets;

/// <summary>What a request to <see cref="TargetInventory"/> came to; the endpoint maps each case to its HTTP answer.</summary>
public abstract record TargetOutcome<T>
{
    public sealed record Success(T Value) : TargetOutcome<T>;

    public sealed record Invalid(ValidationErrors Errors) : TargetOutcome<T>;

    public sealed record NotFound(long Id) : TargetOutcome<T>;

    public sealed record Conflict(string Detail) : TargetOutcome<T>;
}
