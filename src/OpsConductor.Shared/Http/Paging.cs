using Microsoft.EntityFrameworkCore;

namespace OpsConductor.Shared.Http;

/// <summary>The list envelope of the API contract.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary><c>page</c> (1-based) and <c>pageSize</c> (default 50, max 500) from the query string.</summary>
public readonly record struct PageRequest(int? Page, int? PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public int Number => Page ?? 1;
    public int Size => PageSize ?? DefaultSize;

    public ValidationErrors Validate(ValidationErrors? errors = null)
    {
        errors ??= new ValidationErrors();
        if (Number < 1)
        {
            errors.Add("page", "page must be 1 or greater.");
        }
        if (Size is < 1 or > MaxSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxSize}.");
        }
        return errors;
    }

    /// <summary>Counts and fetches one page of an ordered query (project to the DTO in the query, so only its columns are read).</summary>
    public async Task<PagedList<T>> ToPageAsync<T>(IQueryable<T> ordered, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var skip = (Number - 1) * Size;
        var rows = total <= skip ? [] : await ordered.Skip(skip).Take(Size).ToListAsync(cancellationToken);
        return new PagedList<T>(rows, total, Number, Size);
    }
}
