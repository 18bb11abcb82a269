using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpsConductor.Shared.Http;

/// <summary>The HTTP answers of an <see cref="Outcome{T}"/>, the same for every module.</summary>
public static class OutcomeResults
{
    /// <summary>200 with the value, 400 with the errors, or the refusal's problem; <paramref name="thing"/> names a missing resource.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome, string thing) => outcome switch
    {
        Outcome<T>.Success success => TypedResults.Ok(success.Value),
        Outcome<T>.Invalid invalid => invalid.Errors.ToResult(),
        var refused => refused.ToProblem(thing),
    };

    public static ProblemHttpResult ToProblem<T>(this Outcome<T> refused, string thing) => refused switch
    {
        Outcome<T>.NotFound notFound => Problems.NotFound($"{thing} {notFound.Id}"),
        Outcome<T>.Conflict conflict => Problems.Conflict(conflict.Detail),
        Outcome<T>.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
        _ => throw new UnreachableException($"{refused.GetType().Name} is not a refusal."),
    };
}
