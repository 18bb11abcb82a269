using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace OpsConductor.Shared.Http;

/// <summary>The list envelope of the API contract.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary><c>page</c> (1-based) and <c>pageSize</c> (default 50, max 500) from the query string.</summary>
public readonly record struct PageRequest([FromQuery(Name = "page")] int? Page, [FromQuery(Name = "pageSize")] int? PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public int Number => Page ?? 1;
    public int Size => PageSize ?? DefaultSize;

    /// <summary>The last page whose first row can still be counted in an <c>int</c>: beyond it the offset would overflow.</summary>
    public int LastRepresentablePage => Size is < 1 or > MaxSize ? int.MaxValue : (int)Math.Min(int.MaxValue, (long)int.MaxValue / Size + 1);

    /// <summary>Rows before this page; only after <see cref="Validate"/> accepted the request.</summary>
    public int Skip => checked((Number - 1) * Size);

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
        else if (Number > LastRepresentablePage)
        {
            errors.Add("page", $"page must be at most {LastRepresentablePage} with pageSize {Size}.");
        }
        return errors;
    }

    /// <summary>Counts and fetches one page of an ordered query of entities, mapped to DTOs in memory.</summary>
    public async Task<PagedList<TOut>> ToPageAsync<TIn, TOut>(IQueryable<TIn> ordered, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var page = await ToPageAsync(ordered, cancellationToken);
        return new PagedList<TOut>(page.Items.Select(map).ToList(), page.Total, page.Page, page.PageSize);
    }

    /// <summary>Counts and fetches one page of an ordered query (project to the DTO in the query, so only its columns are read).</summary>
    public async Task<PagedList<T>> ToPageAsync<T>(IQueryable<T> ordered, CancellationToken cancellationToken)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var skip = Skip;
        var rows = total <= skip ? [] : await ordered.Skip(skip).Take(Size).ToListAsync(cancellationToken);
        return new PagedList<T>(rows, total, Number, Size);
    }
}
