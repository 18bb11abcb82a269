using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OpsConductor.Jobs;

/// <summary>
/// Holds one dedicated PostgreSQL connection with LISTEN on the wake-up channels and turns other processes'
/// notifications into this process's <see cref="RunSignals"/>. When the connection drops it reconnects with a
/// doubling delay; meanwhile the readers poll fast again, and once it is back every waiter looks once, since
/// notifications sent while nobody listened are lost.
/// </summary>
public sealed class PostgresRunListener(RunSignals signals, PostgresRunNotifications notifications, string connectionString,
    RunWakeupOptions options, TimeProvider clock, ILogger<PostgresRunListener> logger) : BackgroundService
{
    public const string ApplicationName = "OpsConductor wake-ups";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Not pooled: a connection that held LISTEN is never handed to anyone else. Keepalives let a silently
            // dropped connection fail the wait instead of leaving this process deaf.
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = ApplicationName,
        };
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => Deliver(e.Channel, e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand(
                    $"LISTEN {PostgresRunNotifications.WorkChannel}; LISTEN {PostgresRunNotifications.RunChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                signals.SetListening(true);
                logger.LogInformation("Listening for cross-process wake-ups on PostgreSQL (backend {Backend}, origin {Origin}){Again}",
                    connection.ProcessID, notifications.Origin, failures > 0 ? " again after a lost connection" : "");
                failures = 0;
                signals.WakeAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                signals.SetListening(false);
                var delay = TimeSpan.FromSeconds(Math.Min(options.ReconnectMaxSeconds, 0.5 * Math.Pow(2, Math.Min(failures, 20))));
                failures++;
                logger.LogWarning(ex, "The cross-process wake-up listener lost its PostgreSQL connection; reconnecting in {Delay} s, polling fast meanwhile",
                    delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        signals.SetListening(false);
    }

    void Deliver(string channel, string payload)
    {
        if (!notifications.TryRead(payload, out var runIds))
        {
            return;
        }
        if (channel == PostgresRunNotifications.WorkChannel)
        {
            signals.WakeWork();
        }
        else
        {
            foreach (var runId in runIds)
            {
                signals.WakeRun(runId);
            }
        }
    }
}
