using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Jobs;

/// <summary>
/// <see cref="IRunOutbox"/> on the jobs database. A claim takes rows whose lease is free or lapsed in one statement
/// (<see cref="LeaseClaim"/>: on PostgreSQL FOR UPDATE SKIP LOCKED, so two consumers never wait on each other);
/// completing deletes them.
/// </summary>
sealed class RunOutbox(JobsDb db, TimeProvider clock) : IRunOutbox
{
    public async Task<IReadOnlyList<RunOutboxEntry>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        var claimed = await LeaseClaim.ClaimAsync<RunOutboxRow>(db, owner, max, clock.GetUtcNow(), lease, ct);
        var rows = claimed.Count == 0 ? [] : await db.RunOutbox.AsNoTracking().Where(o => claimed.Contains(o.Id)).OrderBy(o => o.Id).ToListAsync(ct);
        return rows.Select(o => new RunOutboxEntry(o.Id, o.RunId, o.Event, o.At)).ToList();
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> entryIds, CancellationToken ct)
    {
        if (entryIds.Count > 0)
        {
            await db.RunOutbox.Where(o => entryIds.Contains(o.Id)).ExecuteDeleteAsync(ct);
        }
    }

    public async Task<RunSummary?> GetRunSummaryAsync(long runId, int lastLines, CancellationToken ct) =>
        (await GetRunSummariesAsync([runId], lastLines, ct)).GetValueOrDefault(runId);

    public async Task<IReadOnlyDictionary<long, RunSummary>> GetRunSummariesAsync(IReadOnlyCollection<long> runIds, int lastLines, CancellationToken ct)
    {
        var summaries = new Dictionary<long, RunSummary>();
        foreach (var (run, snapshot) in await RunDocument.LoadManyAsync(db, runIds, ct))
        {
            var rules = Rules(JsonSerializer.Deserialize<JobDefinition>(snapshot, JobJson.Options));
            var targets = run.Targets.OrderBy(t => t.TargetName, StringComparer.Ordinal)
                .Select(t => new RunSummaryTarget(t.TargetId, t.TargetName, t.Hostname, t.Status, t.Error, LastLines(t, lastLines))).ToList();
            summaries[run.Id] = new RunSummary(run.Id, run.JobId, run.JobName, run.Status, SnakeCaseEnumConverter<RunTrigger>.ToText(run.Trigger),
                run.RequestedBy, run.QueuedAt, run.StartedAt, run.FinishedAt, run.Error, targets, rules);
        }
        return summaries;
    }

    public async Task<JobNotificationRules?> GetJobRulesAsync(long jobId, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        return job is null ? null : new JobNotificationRules(job.Id, job.Name, Rules(JobCatalog.Definition(job)));
    }

    static List<RunNotificationRule> Rules(JobDefinition? job) => (job?.Notifications ?? [])
        .Select((n, i) => n.On is { } on ? new RunNotificationRule(i, on, (n.Recipients ?? []).ToList()) : null)
        .OfType<RunNotificationRule>().ToList();

    /// <summary>The last lines of the step that decided the target's outcome: its first failed step, else its last step with output.</summary>
    static IReadOnlyList<string> LastLines(RunTargetDto target, int count)
    {
        var step = target.Steps.FirstOrDefault(s => s.Status is RunStatus.Failed or RunStatus.TimedOut)
            ?? target.Steps.LastOrDefault(s => s.Stdout.Length > 0 || s.Stderr.Length > 0);
        if (step is null || count <= 0)
        {
            return [];
        }
        var lines = (step.Stdout + (step.Stdout.Length > 0 && !step.Stdout.EndsWith('\n') ? "\n" : "") + step.Stderr)
            .Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
    }
}
