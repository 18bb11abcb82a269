using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Targets;

/// <summary>The inventory as the executor sees it.</summary>
sealed class TargetDirectory(TargetsDb db, TimeProvider clock) : ITargetDirectory
{
    public async Task<TargetResolution> ResolveAsync(IReadOnlyCollection<long> ids, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        var idList = ids.Distinct().ToList();
        var tagList = tags.Select(TargetRules.NormalizeTag).Where(t => t.Length > 0).Distinct().ToList();
        // Tag index first, then the primary key: an OR across both would scan the whole inventory.
        var tagged = tagList.Count == 0 ? [] : await db.Tags.AsNoTracking().Where(tag => tagList.Contains(tag.Tag))
            .Select(tag => tag.TargetId).Distinct().ToListAsync(cancellationToken);
        var wanted = idList.Union(tagged).ToList();
        var found = wanted.Count == 0 ? [] : await db.Targets.AsNoTracking().Where(t => wanted.Contains(t.Id))
            .OrderBy(t => t.NormalizedName).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var missing = idList.Except(found.Select(t => t.Id)).Order().ToList();
        return new TargetResolution(found.Select(TargetHealth.ToConnection).ToList(), missing);
    }

    public async Task<HostKeyVerdict> VerifyHostKeyAsync(long targetId, string fingerprint, CancellationToken cancellationToken)
    {
        var target = await db.Targets.FirstOrDefaultAsync(t => t.Id == targetId, cancellationToken);
        if (target is null)
        {
            return HostKeyVerdict.Mismatch; // nothing to trust
        }
        var verdict = HostKeyPinning.Verify(target.PinnedHostKey, target.HostKeyConfirmed, fingerprint);
        target.LastSeenHostKey = fingerprint;
        // A first-use key is pinned by PinAuthenticatedHostKeyAsync, once authentication to it succeeded.
        if (verdict == HostKeyVerdict.Mismatch
                 && TargetHealth.SetStatus(target, TargetStatus.HostKeyMismatch, "The host key changed.", clock.GetUtcNow()) is { } change)
        {
            target.LastError = change.Error;
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(cancellationToken);
        return verdict;
    }

    public async Task PinAuthenticatedHostKeyAsync(long targetId, string fingerprint, CancellationToken cancellationToken)
    {
        var target = await db.Targets.FirstOrDefaultAsync(t => t.Id == targetId, cancellationToken);
        if (target is { PinnedHostKey: null })
        {
            target.PinnedHostKey = fingerprint;
            target.HostKeyConfirmed = false;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task ReportConnectFailureAsync(long targetId, TargetStatus status, string reason, CancellationToken cancellationToken)
    {
        var target = status == TargetStatus.Healthy ? null : await db.Targets.FirstOrDefaultAsync(t => t.Id == targetId, cancellationToken);
        if (target is null)
        {
            return;
        }
        var now = clock.GetUtcNow();
        target.LastError = reason is { Length: > 1000 } longReason ? longReason[..1000] : reason;
        target.LastCheckedAt = now; // the run's connection attempt is the newest look at the target
        if (TargetHealth.SetStatus(target, status, reason, now) is { } change)
        {
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task ReportReachedAsync(long targetId, string reason, CancellationToken cancellationToken)
    {
        // Read only the status first: a healthy target (the usual case, once per run and target) costs no write.
        var target = await db.Targets.FirstOrDefaultAsync(t => t.Id == targetId && t.Status != TargetStatus.Healthy, cancellationToken);
        if (target is null)
        {
            return;
        }
        var now = clock.GetUtcNow();
        target.LastError = null;
        target.LastCheckedAt = now;
        if (TargetHealth.SetStatus(target, TargetStatus.Healthy, reason, now) is { } change)
        {
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
