using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

/// <summary>The user list, the hottest read in the UI (see docs/benchmarks.md). A null search or role means "no filter".</summary>
static class UserListQueries
{
    public static readonly Func<UsersDb, string?, Role?, Task<int>> Count = EF.CompileAsyncQuery(
        (UsersDb db, string? s, Role? r) => db.Users.Count(u =>
            (s == null || u.NormalizedUsername.Contains(s) || u.Email.ToLower().Contains(s) || u.FullName.ToLower().Contains(s))
            && (r == null || u.Role == r)));

    /// <summary>
    /// One round trip for the page and its total (<c>COUNT(*) OVER ()</c>), read without EF's materializer:
    /// the user list is the hottest read. Only a page past the end needs a second query for the total.
    /// </summary>
    public static async Task<(List<UserDto> Items, int Total)> PageAsync(UsersDb db, string? search, Role? role, string sort, int skip, int take,
        CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        var contains = sqlite ? "instr({0}, @s) > 0" : "strpos({0}, @s) > 0";
        var order = OrderBy[sort];
        var sql = $"""
            SELECT "Id", "Username", "Email", "FullName", "Role", "Disabled", "CreatedAt", "UpdatedAt", COUNT(*) OVER () AS "Total"
            FROM users
            WHERE (@s IS NULL OR {string.Format(contains, "\"NormalizedUsername\"")} OR {string.Format(contains, "lower(\"Email\")")}
                   OR {string.Format(contains, "lower(\"FullName\")")})
              AND (@r IS NULL OR "Role" = @r)
            ORDER BY {order}
            LIMIT @take OFFSET @skip
            """;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Add(command, "@s", System.Data.DbType.String, search);
            Add(command, "@r", System.Data.DbType.String, role?.ToClaim());
            Add(command, "@take", System.Data.DbType.Int32, take);
            Add(command, "@skip", System.Data.DbType.Int32, skip);
            var items = new List<UserDto>(take);
            var total = 0;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    items.Add(new UserDto(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        Roles.Parse(reader.GetString(4)), reader.GetBoolean(5), Timestamp(reader, 6, sqlite), Timestamp(reader, 7, sqlite)));
                    total = Convert.ToInt32(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            if (items.Count == 0 && skip > 0)
            {
                total = await Count(db, search, role);
            }
            return (items, total);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    static readonly Dictionary<string, string> OrderBy = new()
    {
        ["username"] = "\"NormalizedUsername\"",
        ["-username"] = "\"NormalizedUsername\" DESC",
        ["createdAt"] = "\"CreatedAt\", \"Id\"",
        ["-createdAt"] = "\"CreatedAt\" DESC, \"Id\" DESC",
        ["role"] = "\"Role\", \"NormalizedUsername\"",
        ["-role"] = "\"Role\" DESC, \"NormalizedUsername\"",
    };

    public static bool IsSort(string sort) => OrderBy.ContainsKey(sort);

    static readonly DateTimeOffsetToBinaryConverter Ticks = new();

    static DateTimeOffset Timestamp(System.Data.Common.DbDataReader reader, int ordinal, bool sqlite) =>
        sqlite ? (DateTimeOffset)Ticks.ConvertFromProvider(reader.GetInt64(ordinal))! : reader.GetFieldValue<DateTimeOffset>(ordinal);

    static void Add(System.Data.Common.DbCommand command, string name, System.Data.DbType type, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}
