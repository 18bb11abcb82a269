using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

/// <summary>
/// One health check of every target, over SSH or WinRM: secrets read once per credential, connections in parallel up to the
/// configured bound, and all database writes batched at the end (history only on a status change), so a sweep of
/// a thousand targets is a handful of statements.
/// </summary>
public sealed class HealthSweep(IServiceScopeFactory scopes, TargetChecker checker, TargetsSettings settings, TimeProvider clock, ILogger<HealthSweep> logger)
{
    readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            return await SweepAsync(ct);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    async Task<SweepResult> SweepAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TargetsDb>();
        var vault = scope.ServiceProvider.GetRequiredService<ICredentialVault>();

        var targets = await db.Targets.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);

        var secrets = new Dictionary<long, CredentialSecret?>();
        foreach (var credentialId in targets.Select(t => t.CredentialId).Distinct())
        {
            try
            {
                secrets[credentialId] = await vault.ReadSecretAsync(credentialId, new SecretAccess(TargetsModule.Service, "health check"), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Health check could not read credential {CredentialId}: {Error}", credentialId, ex.GetType().Name);
                secrets[credentialId] = null;
            }
        }

        var outcomes = new CheckOutcome?[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.HealthCheckConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var target = targets[i];
                if (secrets[target.CredentialId] is not { } secret)
                {
                    outcomes[i] = null;
                    return;
                }
                outcomes[i] = await checker.CheckAsync(TargetHealth.ToConnection(target), secret, detectOs: target.OsName is null,
                    settings.ConnectTimeout, token);
            });

        var now = clock.GetUtcNow();
        var changedIds = new List<long>();
        var unchangedIds = new List<long>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (outcomes[i] is not { } o)
            {
                continue;
            }
            var t = targets[i];
            var differs = o.Status != t.Status || o.Error != t.LastError || (o.HostKeyFingerprint is { } fp && fp != t.LastSeenHostKey)
                || (o.PinHostKey && o.Status == TargetStatus.Healthy && t.PinnedHostKey is null) || o.Os is not null;
            (differs ? changedIds : unchangedIds).Add(t.Id);
        }

        var statusChanges = 0;
        if (changedIds.Count > 0)
        {
            var byId = targets.Select((t, i) => (t.Id, Outcome: outcomes[i])).ToDictionary(x => x.Id, x => x.Outcome);
            var tracked = await db.Targets.Where(t => changedIds.Contains(t.Id)).ToListAsync(ct);
            foreach (var target in tracked)
            {
                if (TargetHealth.Apply(target, byId[target.Id]!, now) is { } change)
                {
                    db.StatusHistory.Add(change);
                    statusChanges++;
                }
            }
            await db.SaveChangesAsync(ct);
        }
        foreach (var chunk in unchangedIds.Chunk(1000))
        {
            await db.Targets.Where(t => chunk.Contains(t.Id)).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastCheckedAt, now), ct);
        }

        var statuses = outcomes.Where(o => o is not null).GroupBy(o => o!.Status).ToDictionary(g => g.Key, g => g.Count());
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var result = new SweepResult(targets.Count, outcomes.Count(o => o is not null), elapsed, statusChanges, statuses);
        logger.LogInformation("Health sweep checked {Checked} of {Targets} targets in {DurationMs} ms; {Changes} status changes",
            result.Checked, result.Targets, result.DurationMs, result.StatusChanges);
        return result;
    }
}
