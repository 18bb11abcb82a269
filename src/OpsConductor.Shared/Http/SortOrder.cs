namespace OpsConductor.Shared.Http;

/// <summary>
/// <c>sort=key</c> or <c>sort=-key</c> (descending) from a whitelist: what each key does is the endpoint's (an ordering,
/// a compiled query), the parsing and the 400 naming the allowed keys are the same everywhere.
/// </summary>
public static class SortOrder
{
    /// <summary>
    /// The entry for <paramref name="sort"/> (or <paramref name="defaultKey"/> when none is given); null after adding a
    /// <c>sort</c> error listing the keys of <paramref name="map"/> when the key is not in it.
    /// </summary>
    public static T? Pick<T>(string? sort, string defaultKey, IReadOnlyDictionary<string, T> map, ValidationErrors errors) where T : class
    {
        if (map.TryGetValue(sort ?? defaultKey, out var picked))
        {
            return picked;
        }
        var keys = map.Keys.Select(k => k.TrimStart('-')).Distinct();
        errors.Add("sort", $"sort must be one of {string.Join(", ", keys)}, optionally prefixed with '-'.");
        return null;
    }

    /// <summary>The orderings of an entity list, each key ascending and, prefixed with '-', descending.</summary>
    public static IReadOnlyDictionary<string, Func<IQueryable<T>, IOrderedQueryable<T>>> Orderings<T>(
        params (string Key, Func<IQueryable<T>, IOrderedQueryable<T>> Ascending, Func<IQueryable<T>, IOrderedQueryable<T>> Descending)[] keys)
    {
        var map = new Dictionary<string, Func<IQueryable<T>, IOrderedQueryable<T>>>(StringComparer.Ordinal);
        foreach (var (key, ascending, descending) in keys)
        {
            map[key] = ascending;
            map["-" + key] = descending;
        }
        return map;
    }
}
