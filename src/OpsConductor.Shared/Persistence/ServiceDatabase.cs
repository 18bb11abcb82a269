using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Security;

namespace OpsConductor.Shared.Persistence;

/// <summary>A service's database: its DbContext, migrated on start and checked by /health.</summary>
public interface IServiceDatabase
{
    string Service { get; }
    Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);
    Task<DatabaseStatus> CheckAsync(IServiceProvider services, CancellationToken cancellationToken);
}

public sealed record DatabaseStatus(bool Reachable, int PendingMigrations, string? Error);

/// <summary>
/// Each service has one DbContext and one subclass per provider, so each provider keeps its own
/// migrations (Migrations/Sqlite, Migrations/Postgres) and its own history table.
/// </summary>
public static class ServiceDatabase
{
    public static string HistoryTable(string service) => $"__ef_migrations_{service}";

    public static IServiceCollection AddServiceDatabase<TContext, TSqlite, TPostgres>(
        this IServiceCollection services, string service, OpsConductorSettings settings)
        where TContext : DbContext
        where TSqlite : TContext
        where TPostgres : TContext
    {
        if (settings.DatabaseProvider == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<TContext, TPostgres>(o => o.UseNpgsql(settings.ConnectionString,
                x => x.MigrationsHistoryTable(HistoryTable(service))));
        }
        else
        {
            services.AddDbContextPool<TContext, TSqlite>(o => o.UseSqlite(settings.ConnectionString,
                x => x.MigrationsHistoryTable(HistoryTable(service))));
        }
        services.AddSingleton<IServiceDatabase>(new ServiceDatabase<TContext>(service));
        return services;
    }

    /// <summary>Migrates every registered service database; SQLite gets WAL so readers never wait for writers.</summary>
    public static async Task MigrateAllAsync(IServiceProvider services, OpsConductorSettings settings, CancellationToken cancellationToken)
    {
        if (settings.DatabaseProvider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
            if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode is SqliteOpenMode.ReadWriteCreate)
            {
                // SQLite would create the file 0644; its -wal and -shm files copy the database file's mode.
                SecretFiles.CreateOwnerOnlyEmptyFile(file);
            }
            await using var connection = new SqliteConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var database in services.GetServices<IServiceDatabase>())
        {
            await database.MigrateAsync(services, cancellationToken);
        }
    }
}

sealed class ServiceDatabase<TContext>(string service) : IServiceDatabase where TContext : DbContext
{
    // Once every migration of this binary is applied it stays so (a newer binary adds its own), so /health
    // stops re-reading the history table and only checks the connection.
    volatile bool _migrated;

    public string Service => service;

    public async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        if (database.IsNpgsql() && await database.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
        {
            // Npgsql's migrator first reads the history table and logs the "relation does not exist" failure of an
            // empty database as an error (dotnet/efcore#37328); CREATE TABLE IF NOT EXISTS first keeps a fresh start quiet.
            await database.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }
        await database.MigrateAsync(cancellationToken);
    }

    public async Task<DatabaseStatus> CheckAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        try
        {
            if (!await db.CanConnectAsync(cancellationToken))
            {
                return new DatabaseStatus(false, 0, "cannot connect");
            }
            if (_migrated)
            {
                return new DatabaseStatus(true, 0, null);
            }
            var pending = (await db.GetPendingMigrationsAsync(cancellationToken)).Count();
            _migrated = pending == 0;
            return new DatabaseStatus(true, pending, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DatabaseStatus(false, 0, ex.GetType().Name);
        }
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build a provider's context without running the host.</summary>
public abstract class SqliteDesignTimeFactory<T>(string service) : IDesignTimeDbContextFactory<T> where T : DbContext
{
    public T CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<T>()
            .UseSqlite("Data Source=design-time.db", x => x.MigrationsHistoryTable(ServiceDatabase.HistoryTable(service)))
            .Options;
        return (T)Activator.CreateInstance(typeof(T), options)!;
    }
}

public abstract class PostgresDesignTimeFactory<T>(string service) : IDesignTimeDbContextFactory<T> where T : DbContext
{
    public T CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<T>()
            .UseNpgsql("Host=localhost;Database=design_time", x => x.MigrationsHistoryTable(ServiceDatabase.HistoryTable(service)))
            .Options;
        return (T)Activator.CreateInstance(typeof(T), options)!;
    }
}
