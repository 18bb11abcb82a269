using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Shared.Hosting;

public sealed record HealthReport(string Status, string Service, string Version, IReadOnlyList<string> Services, IReadOnlyDictionary<string, string> Checks);

/// <summary>A module's own readiness check beyond its database (for example: executor workers alive).</summary>
public interface IHealthContributor
{
    Task<(string Name, bool Healthy, string Detail)> CheckAsync(CancellationToken cancellationToken);
}

public static class HealthEndpoint
{
    public static readonly string Version =
        typeof(HealthEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void MapHealth(this IEndpointRouteBuilder app, IReadOnlyList<string> servedServices, bool allInOne)
    {
        var service = allInOne ? "all" : string.Join(",", servedServices);
        app.MapGet("/health", async (IServiceProvider services, CancellationToken ct) =>
        {
            var checks = new SortedDictionary<string, string>();
            var healthy = true;
            foreach (var database in services.GetServices<IServiceDatabase>())
            {
                var status = await database.CheckAsync(services, ct);
                var ok = status.Reachable && status.PendingMigrations == 0;
                healthy &= ok;
                checks[$"database:{database.Service}"] = !status.Reachable ? $"unreachable ({status.Error})"
                    : status.PendingMigrations > 0 ? $"{status.PendingMigrations} migrations pending" : "healthy";
            }
            foreach (var contributor in services.GetServices<IHealthContributor>())
            {
                var (name, ok, detail) = await contributor.CheckAsync(ct);
                healthy &= ok;
                checks[name] = detail;
            }
            var report = new HealthReport(healthy ? "healthy" : "unhealthy", service, Version, servedServices, checks);
            return TypedResults.Json(report, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        })
        .AllowAnonymous()
        .WithTags("Health")
        .WithName("GetHealth")
        .WithSummary("Database reachable and migrations applied for every service in this process.");
    }
}
