using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

/// <summary>
/// Turns the jobs outbox (and the scheduler's outbox of missed occurrences) into messages: for each claimed status change,
/// one notification per matching rule (the run's job rules, then the default rule), rendered now, a batch at a time; the
/// outbox rows are deleted only once their messages are committed. A row whose
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

    /// <summary>
    /// One batch of the jobs outbox in a bounded number of queries: the claim, the runs (with targets, output and rules),
    /// the messages already created for them, each event's template (parsed once per batch), then every new message in one
    /// SaveChanges.
    /// </summary>
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
        var templates = new Templates(scope.ServiceProvider.GetRequiredService<TemplateStore>());
        var defaultRule = await scope.ServiceProvider.GetRequiredService<DefaultRule>().GetAsync(ct);
        var runs = await outbox.GetRunSummariesAsync(entries.Select(e => e.RunId).Distinct().ToList(), options.LastLines, ct);
        var runIds = runs.Keys.ToList();
        var existing = (await db.Notifications.Where(n => n.RunId != null && runIds.Contains(n.RunId.Value))
            .Select(n => new { n.RunId, n.Event, n.RuleKey }).ToListAsync(ct)).Select(n => (n.RunId!.Value, n.Event, n.RuleKey)).ToHashSet();
        var messages = new List<Notification>();
        foreach (var entry in entries)
        {
            if (!runs.TryGetValue(entry.RunId, out var run))
            {
                continue;
            }
            // Added to existing as they are made: the same change twice in one batch still makes one message per rule.
            var missing = Rules(run.Rules, defaultRule, entry.Event).Where(r => existing.Add((run.RunId, entry.Event, r.Key))).ToList();
            if (missing.Count == 0)
            {
                continue;
            }
            var message = await NotificationRenderer.RenderAsync(await templates.ParsedAsync(entry.Event, ct),
                TemplateModel.From(run, entry.Event, options.PublicUrl));
            messages.AddRange(missing.Select(rule =>
                New(rule, entry.Event, message, new Notification { RuleKey = "", RunId = run.RunId, JobId = run.JobId, JobName = run.JobName })));
        }
        var created = await SaveAsync(db, messages, ct);
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
        var templates = new Templates(scope.ServiceProvider.GetRequiredService<TemplateStore>());
        var defaultRule = await scope.ServiceProvider.GetRequiredService<DefaultRule>().GetAsync(ct);
        var messages = new List<Notification>();
        // Missed occurrences come a few per scheduler round, not in bursts of runs: read one by one.
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
            existing.AddRange(messages.Where(m => m.OccurrenceId == occurrence.OccurrenceId).Select(m => m.RuleKey));
            var missing = rules.Where(r => !existing.Contains(r.Key)).ToList();
            if (missing.Count == 0)
            {
                continue;
            }
            var message = await NotificationRenderer.RenderAsync(await templates.ParsedAsync(NotificationEvent.Missed, ct),
                TemplateModel.From(occurrence, entry.MissedCount, occurrence.JobId, jobName, options.PublicUrl));
            messages.AddRange(missing.Select(rule => New(rule, NotificationEvent.Missed, message, new Notification
            {
                RuleKey = "",
                OccurrenceId = occurrence.OccurrenceId,
                ScheduleId = occurrence.ScheduleId,
                ScheduleName = occurrence.ScheduleName,
                JobId = occurrence.JobId,
                JobName = jobName,
            })));
        }
        var created = await SaveAsync(db, messages, ct);
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

    Notification New((string Key, IReadOnlyList<string> Recipients) rule, NotificationEvent @event, RenderedMessage message, Notification about)
    {
        var now = Clock.GetUtcNow();
        about.Event = @event;
        about.RuleKey = rule.Key;
        about.RecipientsJson = JsonSerializer.Serialize(rule.Recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        about.Subject = message.Subject;
        about.Html = message.Html;
        about.Text = message.Text;
        about.Status = NotificationStatus.Pending;
        about.NextAttemptAt = now;
        about.CreatedAt = now;
        return about;
    }

    /// <summary>
    /// Adds the batch's messages in one SaveChanges. When another dispatcher (which took rows over from a lapsed claim)
    /// created some first, the unique keys refuse the batch: then each is added alone and the ones it made are skipped.
    /// </summary>
    /// <returns>How many were created.</returns>
    static async Task<int> SaveAsync(NotificationsDb db, List<Notification> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return 0;
        }
        db.Notifications.AddRange(messages);
        try
        {
            await db.SaveChangesAsync(ct);
            return messages.Count;
        }
        catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
        {
            db.ChangeTracker.Clear();
        }
        var created = 0;
        foreach (var message in messages)
        {
            message.Id = 0;
            db.Notifications.Add(message);
            try
            {
                await db.SaveChangesAsync(ct);
                created++;
            }
            catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
            {
                // Already there: the unique key kept one.
            }
            db.ChangeTracker.Clear();
        }
        return created;
    }

    /// <summary>Each event's template, read and parsed once per batch (an admin's edit shows from the next batch on).</summary>
    sealed class Templates(TemplateStore store)
    {
        readonly Dictionary<NotificationEvent, NotificationRenderer.Parsed> _parsed = [];

        public async Task<NotificationRenderer.Parsed> ParsedAsync(NotificationEvent @event, CancellationToken ct)
        {
            if (!_parsed.TryGetValue(@event, out var parsed))
            {
                _parsed[@event] = parsed = await store.ParsedAsync(@event, ct);
            }
            return parsed;
        }
    }
}
