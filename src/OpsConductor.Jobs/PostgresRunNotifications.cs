using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OpsConductor.Jobs;

/// <summary>
/// Publishes this process's wake-ups to the other processes on the same PostgreSQL database (pg_notify).
/// Sent right after the commit that caused them, from the signalling code, not inside that transaction: the callers
/// already signal only after committing, so a receiver always reads what woke it, and the ledger's group commit stays
/// one plain transaction. If this process dies between its commit and the notification, the receivers' slow poll
/// finds the change. Coalesced: while one notification round trip is in flight, further signals gather, and the next
/// round trip carries each changed run once and the work signal once (a fan-out run writing hundreds of batches a
/// second costs at most one NOTIFY per round trip). Each payload starts with this process's origin, so the listener
/// ignores its own echo (the local waiters were already woken in memory).
/// </summary>
public sealed class PostgresRunNotifications(NpgsqlDataSource dataSource, ILogger<PostgresRunNotifications> logger) : IAsyncDisposable
{
    public const string WorkChannel = "opsconductor_work";
    public const string RunChannel = "opsconductor_run";

    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; run ids are split over several notifications below that.</summary>
    const int MaxPayload = 7000;

    readonly Lock _gate = new();
    HashSet<long> _runs = [];
    bool _work;
    bool _sending;
    bool _failing;
    volatile bool _disposed;

    /// <summary>Identifies this process in every payload it sends.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N")[..12];

    public void PublishWork()
    {
        lock (_gate)
        {
            _work = true;
            StartSendingLocked();
        }
    }

    public void PublishRun(long runId)
    {
        lock (_gate)
        {
            _runs.Add(runId);
            StartSendingLocked();
        }
    }

    void StartSendingLocked()
    {
        if (!_sending && !_disposed)
        {
            _sending = true;
            _ = Task.Run(SendAsync);
        }
    }

    async Task SendAsync()
    {
        while (true)
        {
            HashSet<long> runs;
            bool work;
            lock (_gate)
            {
                if ((!_work && _runs.Count == 0) || _disposed)
                {
                    _sending = false;
                    return;
                }
                (runs, _runs, work, _work) = (_runs, [], _work, false);
            }
            var (channels, payloads) = Messages(work, runs);
            try
            {
                await using var command = dataSource.CreateCommand("SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)");
                command.Parameters.Add(new NpgsqlParameter { Value = channels });
                command.Parameters.Add(new NpgsqlParameter { Value = payloads });
                await command.ExecuteNonQueryAsync();
                if (_failing)
                {
                    _failing = false;
                    logger.LogInformation("Cross-process wake-ups are being sent again");
                }
            }
            catch (Exception ex) when (!_disposed)
            {
                // Dropped, not retried: the other processes' safety-net polls pick the change up.
                if (!_failing)
                {
                    _failing = true;
                    logger.LogWarning(ex, "Could not send cross-process wake-ups; other processes see changes at their next poll");
                }
            }
            catch (Exception)
            {
                // Shutting down.
            }
        }
    }

    (string[] Channels, string[] Payloads) Messages(bool work, HashSet<long> runs)
    {
        var channels = new List<string>();
        var payloads = new List<string>();
        if (work)
        {
            channels.Add(WorkChannel);
            payloads.Add(Origin + ":");
        }
        var payload = new StringBuilder();
        foreach (var runId in runs)
        {
            if (payload.Length > MaxPayload)
            {
                channels.Add(RunChannel);
                payloads.Add(payload.ToString());
                payload.Clear();
            }
            payload.Append(payload.Length == 0 ? Origin + ":" : ",").Append(runId.ToString(CultureInfo.InvariantCulture));
        }
        if (payload.Length > 0)
        {
            channels.Add(RunChannel);
            payloads.Add(payload.ToString());
        }
        return ([.. channels], [.. payloads]);
    }

    /// <summary>Reads a payload: false when it is this process's own echo or not ours at all.</summary>
    public bool TryRead(string payload, out IReadOnlyList<long> runIds)
    {
        runIds = [];
        var colon = payload.IndexOf(':');
        if (colon < 0 || payload.AsSpan(0, colon).SequenceEqual(Origin))
        {
            return false;
        }
        var ids = new List<long>();
        foreach (var part in payload[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }
        runIds = ids;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await dataSource.DisposeAsync();
    }
}
