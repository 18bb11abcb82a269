using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Scheduler;

/// <summary>Jobs have no tags of their own: a job carries the tags of its schedules, which tagged blackout windows match.</summary>
public sealed class ManualRunGate(SchedulerDb db, BlackoutBook blackouts, TimeProvider clock) : IManualRunGate
{
    public async Task<ManualRunBlock?> BlockingWindowAsync(long jobId, CancellationToken cancellationToken)
    {
        if (!await db.BlackoutWindows.AnyAsync(w => w.AppliesToManualRuns, cancellationToken))
        {
            return null;
        }
        var tags = (await db.Schedules.AsNoTracking().Where(s => s.JobId == jobId).Select(s => s.TagsJson).ToListAsync(cancellationToken))
            .SelectMany(json => JsonSerializer.Deserialize<List<string>>(json) ?? []).ToHashSet();
        return await blackouts.ManualRunBlockedAsync(tags, cancellationToken) is { } rule
            ? new ManualRunBlock(rule.Id, rule.Name, rule.InForceUntil(clock.GetUtcNow()))
            : null;
    }
}
