using Microsoft.Extensions.Configuration;

namespace OpsConductor.Shared.Hosting;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The configuration keys every service reads, resolved once at start.</summary>
public sealed class OpsConductorSettings
{
    public const string Section = "OpsConductor";

    public required string DataDirectory { get; init; }
    public required DatabaseProvider DatabaseProvider { get; init; }
    public required string ConnectionString { get; init; }
    public required IReadOnlyList<string> Services { get; init; }

    public static OpsConductorSettings From(IConfiguration configuration, IReadOnlyList<string> knownServices)
    {
        var section = configuration.GetSection(Section);
        var dataDirectory = Path.GetFullPath(section["DataDirectory"] is { Length: > 0 } d ? d : "data");

        var providerText = section["Database:Provider"] is { Length: > 0 } p ? p : "sqlite";
        var provider = providerText.ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"OpsConductor:Database:Provider must be 'sqlite' or 'postgres', not '{providerText}'."),
        };

        var connectionString = configuration.GetConnectionString("OpsConductor");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException("ConnectionStrings:OpsConductor is required when OpsConductor:Database:Provider is 'postgres'.");
            }
            connectionString = $"Data Source={Path.Combine(dataDirectory, "opsconductor.db")};Default Timeout=30";
        }

        var servicesText = section["Services"] is { Length: > 0 } s ? s : "all";
        var services = servicesText.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? knownServices
            : servicesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => x.ToLowerInvariant()).Distinct().ToList();
        var unknown = services.Except(knownServices).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Unknown service(s) in OpsConductor:Services: {string.Join(", ", unknown)}. Known: all, {string.Join(", ", knownServices)}.");
        }

        return new OpsConductorSettings
        {
            DataDirectory = dataDirectory,
            DatabaseProvider = provider,
            ConnectionString = connectionString,
            Services = services,
        };
    }
}
