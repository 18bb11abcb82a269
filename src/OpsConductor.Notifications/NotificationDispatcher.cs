using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Notifications;

/// <summary>
/// Turns the jobs outbox into messages: for each claimed status change, one notification per matching rule (the run's
/// job rules, then the default rule), rendered now; the outbox row is deleted only once they are committed. A row whose
/// claim lapsed (this process died) is claimed again and creates nothing twice: (run, event, rule) is unique.
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
            if (run is not null)
            {
                created += await CreateAsync(db, templates, defaultRule, entry, run, ct);
            }
        }
        await outbox.CompleteAsync(entries.Select(e => e.Id).ToList(), ct);
        if (created > 0)
        {
            signal.Pending();
        }
        return entries.Count;
    }

    async Task<int> CreateAsync(NotificationsDb db, TemplateStore templates, DefaultRuleDto defaultRule, RunOutboxEntry entry, RunSummary run,
        CancellationToken ct)
    {
        var rules = run.Rules.Where(r => r.Event == entry.Event).Select(r => (Key: $"job:{r.Index}", r.Recipients)).ToList();
        if (defaultRule.Events.Contains(entry.Event) && defaultRule.Recipients.Count > 0)
        {
            rules.Add(("default", defaultRule.Recipients));
        }
        if (rules.Count == 0)
        {
            return 0;
        }
        var keys = rules.Select(r => r.Key).ToList();
        var existing = await db.Notifications.Where(n => n.RunId == run.RunId && n.Event == entry.Event && keys.Contains(n.RuleKey))
            .Select(n => n.RuleKey).ToListAsync(ct);
        var missing = rules.Where(r => !existing.Contains(r.Key)).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }
        var message = await NotificationRenderer.RenderAsync(await templates.ParsedAsync(entry.Event, ct), TemplateModel.From(run, entry.Event, options.PublicUrl));
        var now = Clock.GetUtcNow();
        foreach (var (key, recipients) in missing)
        {
            db.Notifications.Add(new Notification
            {
                RunId = run.RunId,
                JobId = run.JobId,
                JobName = run.JobName,
                Event = entry.Event,
                RuleKey = key,
                RecipientsJson = JsonSerializer.Serialize(recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList()),
                Subject = message.Subject,
                Html = message.Html,
                Text = message.Text,
                Status = NotificationStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
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
