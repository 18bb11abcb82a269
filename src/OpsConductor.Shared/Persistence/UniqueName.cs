using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpsConductor.Shared.Http;

namespace OpsConductor.Shared.Persistence;

/// <summary>
/// Saving an entity whose name (or other key) has a unique index: a check before saving answers the common case,
/// but two requests can pass it together, and then the database's unique index decides. The loser gets a 409 here,
/// not a 500.
/// </summary>
public static class UniqueName
{
    const int SqliteConstraint = 19;
    const int SqliteConstraintUnique = 2067;

    /// <summary>Saves; on a unique-index violation answers 409 with <paramref name="conflict"/>, otherwise null.</summary>
    public static async Task<ProblemHttpResult?> SaveOrConflictAsync(DbContext db, string conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException ex) when (IsViolation(ex))
        {
            return Problems.Conflict(conflict);
        }
    }

    /// <summary>True when the save failed on a unique index (SQLite 19/2067, PostgreSQL 23505), not for other failures.</summary>
    public static bool IsViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => false,
    };
}
