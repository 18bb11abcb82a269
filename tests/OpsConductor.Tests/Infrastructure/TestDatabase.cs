using Npgsql;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// The database a test host uses: SQLite in its data directory by default, or a fresh PostgreSQL
/// database when OPSC_TEST_DATABASE=postgres (the test script starts the server and sets OPSC_TEST_POSTGRES).
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("OPSC_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configuration for one host; every host gets its own empty database.</summary>
    public static async Task<Dictionary<string, string>> NewAsync()
    {
        if (!IsPostgres)
        {
            return new() { ["OpsConductor__Database__Provider"] = "sqlite" };
        }
        var admin = Environment.GetEnvironmentVariable("OPSC_TEST_POSTGRES")
            ?? throw new InvalidOperationException("OPSC_TEST_DATABASE=postgres needs OPSC_TEST_POSTGRES (an admin connection string).");
        var name = "opsc_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new()
        {
            ["OpsConductor__Database__Provider"] = "postgres",
            ["ConnectionStrings__OpsConductor"] = builder.ConnectionString,
        };
    }
}
