using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpsConductor.Shared.Http;

/// <summary>RFC 9457 answers used by every service, so the same error looks the same everywhere.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Validation failed");
}

/// <summary>Collects validation messages per field; empty means valid.</summary>
public sealed class ValidationErrors
{
    readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
        return this;
    }

    public ValidationErrors Required(string field, string? value, string label, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{label} is required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"{label} must be at most {maxLength} characters.");
        }
        return this;
    }

    public ValidationErrors MaxLength(string field, string? value, string label, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"{label} must be at most {maxLength} characters.");
        }
        return this;
    }

    /// <summary>Field → messages, as the problem document's <c>errors</c>.</summary>
    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public IEnumerable<string> Messages => _errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));

    public ValidationProblem ToResult() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Validation failed");
}
