using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpsConductor.Shared.Persistence;

/// <summary>
/// Claims rows of a table with <c>Id</c>, <c>LeaseOwner</c> and <c>LeaseExpiresAt</c> columns under a lease, in one
/// statement: <c>UPDATE … WHERE Id IN (SELECT Id … free or lapsed lease … LIMIT n) RETURNING Id</c>. On PostgreSQL the
/// candidates are picked <c>FOR UPDATE SKIP LOCKED</c>, so two consumers never wait on each other nor take one row
/// twice; the outer condition checks the lease again. SQLite runs one write at a time, so the statement is the claim.
/// A consumer that died leaves its rows claimed until the lease lapses, then another takes them over.
/// </summary>
public static class LeaseClaim
{
    /// <summary>
    /// Which rows may be claimed besides a free lease (<paramref name="Condition"/>, SQL that may name the current time
    /// as <c>{now}</c>) and in which order (<paramref name="OrderBy"/>, SQL; the oldest <c>Id</c> first by default).
    /// </summary>
    public sealed record Filter(string Condition, string OrderBy);

    static readonly DateTimeOffsetToBinaryConverter Ticks = new();

    /// <returns>The ids claimed, lowest first (RETURNING does not keep the candidates' order); their lease now ends at <paramref name="now"/> + <paramref name="lease"/>.</returns>
    public static async Task<List<long>> ClaimAsync<TRow>(DbContext db, string owner, int max, DateTimeOffset now, TimeSpan lease, CancellationToken ct,
        Filter? filter = null) where TRow : class
    {
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in {db.GetType().Name}.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => $"\"{entity.FindProperty(property)!.GetColumnName(table)}\"";
        var (id, leaseOwner, leaseExpires) = (Column("Id"), Column("LeaseOwner"), Column("LeaseExpiresAt"));
        var postgres = db.Database.IsNpgsql();
        // SQLite stores timestamps as ticks (ServiceDbContext); the raw statement gets them the same way.
        object Stamp(DateTimeOffset at) => postgres ? at : Ticks.ConvertToProvider(at)!;
        var free = $"({leaseExpires} IS NULL OR {leaseExpires} < {{2}})";
        var condition = filter is null ? free : $"{free} AND ({filter.Condition.Replace("{now}", "{2}")})";
        var order = filter?.OrderBy ?? id;
        var name = $"\"{entity.GetTableName()}\"";
        var sql = $$"""
            UPDATE {{name}} SET {{leaseOwner}} = {0}, {{leaseExpires}} = {1}
            WHERE {{free}} AND {{id}} IN (SELECT {{id}} FROM {{name}} WHERE {{condition}} ORDER BY {{order}} LIMIT {3}{{(postgres ? " FOR UPDATE SKIP LOCKED" : "")}})
            RETURNING {{id}} AS "Value"
            """;
        var claimed = await db.Database.SqlQueryRaw<long>(sql, owner, Stamp(now + lease), Stamp(now), max).ToListAsync(ct);
        claimed.Sort();
        return claimed;
    }
}
