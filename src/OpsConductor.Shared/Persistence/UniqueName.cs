using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OpsConductor.Shared.Persistence;

/// <summary>
/// Saving an entity whose name (or other key) has a unique index: a check before saving answers the common case,
/// but two requests can pass it together, and then the database's unique index decides. The loser is told here, so
/// it gets a 409, not a 500.
/// </summary>
public static class UniqueName
{
    const int SqliteConstraint = 19;
    const int SqliteConstraintUnique = 2067;

    /// <summary>Saves; false (nothing saved) when a unique index refused it, so the caller answers a conflict.</summary>
    public static async Task<bool> TrySaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (IsViolation(ex))
        {
            return false;
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
