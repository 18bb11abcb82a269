using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OpsConductor.Shared.Persistence;

/// <summary>Base of every service's DbContext: timestamps that sort and compare in SQL on both providers.</summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    readonly bool _sqlite = options.Extensions.Any(e => e.GetType().Name == "SqliteOptionsExtension");

    protected bool IsSqlite => _sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type; a UTC DateTimeOffset stored as ticks keeps ORDER BY and comparisons in SQL.
        if (_sqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
