using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Auth;

/// <summary>Deletes long-expired refresh tokens once an hour.</summary>
sealed class RefreshTokenPurge(IServiceProvider services, TimeProvider clock, ILogger<RefreshTokenPurge> logger) : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string Activity => "Refresh token purge";

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        await using var scope = services.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<Sessions>().PurgeExpiredAsync(stoppingToken);
        if (purged > 0)
        {
            Logger.LogInformation("Purged {Count} expired refresh tokens", purged);
        }
    }
}
