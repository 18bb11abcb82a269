using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Notifications;

/// <summary>
/// Turns the jobs outbox (and the scheduler's outbox of missed occurrences) into messages: for each claimed status change,
/// one notification per matching rule (the run's job rules, then the default rule), rendered now; the outbox row is deleted only once they are committed. A row whose
/// claim lapsed (this process died) is claimed again and creates nothing twice: (run, event, rule) and (occurrence, rule) are unique.
/// </summary>
sealed class NotificationDispatcher(IServiceScopeFactory scopes, NotificationsOptions options, NotificationSignal signal, TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : PeriodicWorker(clock, logger)
{
    readonly string _owner = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.PollMilliseconds);

    protected override string Activity => "Notification dispatch";

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        while (await DispatchBatchAsync(stoppingToken) >= options.BatchSize)
        {
            // A full batch: there may be more right now.
        }
        while (await DispatchMissedAsync(stoppingToken) >= options.BatchSize)
        {
        }
    }

    /// <returns>How many outbox rows were handled.</returns>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IRunOutbox>();
        var entries = await outbox.ClaimAsync(_owner, options.BatchSize, options.Lease, ct);
        if (entries.Count == 0)
        {
            return 0;
        }
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var templates = scope.ServiceProvider.GetRequiredService<TemplateStore>();
        var defaultRule = await scope.ServiceProvider.GetRequiredService<DefaultRule>().GetAsync(ct);
        var created = 0;
        foreach (var entry in entries)
        {
            var run = await outbox.GetRunSummaryAsync(entry.RunId, options.LastLines, ct);
            if (run is null)
            {
                continue;
            }
            var rules = Rules(run.Rules, defaultRule, entry.Event);
            var keys = rules.Select(r => r.Key).ToList();
            var existing = rules.Count == 0 ? [] : await db.Notifications
                .Where(n => n.RunId == run.RunId && n.Event == entry.Event && keys.Contains(n.RuleKey)).Select(n => n.RuleKey).ToListAsync(ct);
            created += await CreateAsync(db, rules, existing, entry.Event, async () =>
                    await NotificationRenderer.RenderAsync(await templates.ParsedAsync(entry.Event, ct), TemplateModel.From(run, entry.Event, options.PublicUrl)),
                () => new Notification { RuleKey = "", RunId = run.RunId, JobId = run.JobId, JobName = run.JobName }, ct);
        }
        await outbox.CompleteAsync(entries.Select(e => e.Id).ToList(), ct);
        if (created > 0)
        {
            signal.Pending();
        }
        return entries.Count;
    }

    /// <summary>The scheduler's missed occurrences: one message per matching rule of the schedule's job (as defined now) and the default rule.</summary>
    /// <returns>How many outbox rows were handled.</returns>
    public async Task<int> DispatchMissedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMissedOccurrenceOutbox>();
        var entries = await outbox.ClaimAsync(_owner, options.BatchSize, options.Lease, ct);
        if (entries.Count == 0)
        {
            return 0;
        }
        var jobs = scope.ServiceProvider.GetRequiredService<IRunOutbox>();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var templates = scope.ServiceProvider.GetRequiredService<TemplateStore>();
        var defaultRule = await scope.ServiceProvider.GetRequiredService<DefaultRule>().GetAsync(ct);
        var created = 0;
        foreach (var entry in entries)
        {
            if (await outbox.GetAsync(entry.OccurrenceId, ct) is not { } occurrence)
            {
                continue; // its schedule was deleted meanwhile
            }
            var job = await jobs.GetJobRulesAsync(occurrence.JobId, ct);
            var jobName = job?.JobName ?? $"job {occurrence.JobId}";
            var rules = Rules(job?.Rules ?? [], defaultRule, NotificationEvent.Missed);
            var keys = rules.Select(r => r.Key).ToList();
            var existing = rules.Count == 0 ? [] : await db.Notifications
                .Where(n => n.OccurrenceId == occurrence.OccurrenceId && keys.Contains(n.RuleKey)).Select(n => n.RuleKey).ToListAsync(ct);
            created += await CreateAsync(db, rules, existing, NotificationEvent.Missed, async () =>
                    await NotificationRenderer.RenderAsync(await templates.ParsedAsync(NotificationEvent.Missed, ct),
                        TemplateModel.From(occurrence, entry.MissedCount, occurrence.JobId, jobName, options.PublicUrl)),
                () => new Notification
                {
                    RuleKey = "",
                    OccurrenceId = occurrence.OccurrenceId,
                    ScheduleId = occurrence.ScheduleId,
                    ScheduleName = occurrence.ScheduleName,
                    JobId = occurrence.JobId,
                    JobName = jobName,
                }, ct);
        }
        await outbox.CompleteAsync(entries.Select(e => e.Id).ToList(), ct);
        if (created > 0)
        {
            signal.Pending();
        }
        return entries.Count;
    }

    static List<(string Key, IReadOnlyList<string> Recipients)> Rules(IReadOnlyList<RunNotificationRule> jobRules, DefaultRuleDto defaultRule,
        NotificationEvent @event)
    {
        var rules = jobRules.Where(r => r.Event == @event).Select(r => (Key: $"job:{r.Index}", r.Recipients)).ToList();
        if (defaultRule.Events.Contains(@event) && defaultRule.Recipients.Count > 0)
        {
            rules.Add(("default", defaultRule.Recipients));
        }
        return rules;
    }

    /// <summary>Adds the messages of the rules not recorded yet (<paramref name="existing"/> keys), rendered once; 0 when another dispatcher won.</summary>
    async Task<int> CreateAsync(NotificationsDb db, List<(string Key, IReadOnlyList<string> Recipients)> rules, IReadOnlyCollection<string> existing,
        NotificationEvent @event, Func<Task<RenderedMessage>> render, Func<Notification> about, CancellationToken ct)
    {
        var missing = rules.Where(r => !existing.Contains(r.Key)).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }
        var message = await render();
        var now = Clock.GetUtcNow();
        foreach (var (key, recipients) in missing)
        {
            var notification = about();
            notification.Event = @event;
            notification.RuleKey = key;
            notification.RecipientsJson = JsonSerializer.Serialize(recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
            notification.Subject = message.Subject;
            notification.Html = message.Html;
            notification.Text = message.Text;
            notification.Status = NotificationStatus.Pending;
            notification.NextAttemptAt = now;
            notification.CreatedAt = now;
            db.Notifications.Add(notification);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another dispatcher (which took this row over from a lapsed claim) created them first: the unique key kept one of each.
            db.ChangeTracker.Clear();
            return 0;
        }
        db.ChangeTracker.Clear();
        return missing.Count;
    }
}
