using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

/// <summary>
/// Sends due pending messages. A message is claimed by an update that only succeeds while it is pending and unclaimed
/// (or its claim lapsed; PostgreSQL picks candidates with FOR UPDATE SKIP LOCKED), so two senders never take the same
/// one; its claim is renewed just before it is handed to the server. Every try is recorded with the server's answer;
/// a failed one is retried with exponential backoff until <see cref="NotificationsOptions.MaxAttempts"/>, then the
/// message is failed. Nothing here touches a run: a notification failure never fails or delays one.
/// </summary>
sealed class NotificationSender(IServiceScopeFactory scopes, NotificationsOptions options, NotificationSignal signal, TimeProvider clock,
    ILogger<NotificationSender> logger) : BackgroundService
{
    readonly string _owner = $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The type only: a database or SMTP exception's message is not ours to pass on.
                logger.LogWarning("Sending notifications failed: {Error}", ex.GetType().Name);
            }
            if (sent < options.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <returns>How many messages were tried.</returns>
    async Task<int> SendBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var smtp = scope.ServiceProvider.GetRequiredService<SmtpSettingsStore>();
        if (!await db.Smtp.AnyAsync(ct))
        {
            // Nothing can be sent until an admin configures SMTP; messages wait, without using up their tries.
            return 0;
        }
        var claimed = await ClaimAsync(db, ct);
        if (claimed.Count == 0)
        {
            return 0;
        }
        SmtpConnection? connection = null;
        string? unsealError = null;
        try
        {
            connection = await smtp.ConnectionAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            unsealError = SmtpSettingsStore.UnsealFailure;
        }
        await using var sender = connection is null ? null : new MailSender(connection, TimeSpan.FromSeconds(options.SmtpTimeoutSeconds));
        foreach (var id in claimed)
        {
            ct.ThrowIfCancellationRequested();
            var now = clock.GetUtcNow();
            // Renew the claim right before sending: a message is handed to the server only while this sender holds it.
            var held = await db.Notifications.Where(n => n.Id == id && n.LeaseOwner == _owner && n.Status == NotificationStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseExpiresAt, now + options.Lease), ct);
            if (held != 1)
            {
                continue;
            }
            var notification = await db.Notifications.AsNoTracking().FirstAsync(n => n.Id == id, ct);
            SendResult result;
            if (sender is null || connection is null)
            {
                result = new SendResult(false, unsealError ?? "No SMTP server is configured.");
            }
            else
            {
                var recipients = JsonSerializer.Deserialize<List<string>>(notification.RecipientsJson)!;
                result = await sender.SendAsync(MailSender.Compose(connection, recipients, notification.Subject, notification.Html, notification.Text), ct);
            }
            // Recorded even while the host stops: a message the server accepted must not be sent again.
            await RecordAsync(db, notification, result, CancellationToken.None);
        }
        return claimed.Count;
    }

    /// <summary>Due pending messages whose lease is free or lapsed, the longest waiting first.</summary>
    static readonly LeaseClaim.Filter Due = new("\"Status\" = 'pending' AND \"NextAttemptAt\" <= {now}", "\"NextAttemptAt\", \"Id\"");

    async Task<List<long>> ClaimAsync(NotificationsDb db, CancellationToken ct) =>
        await LeaseClaim.ClaimAsync<Notification>(db, _owner, options.BatchSize, clock.GetUtcNow(), options.Lease, ct, Due);

    async Task RecordAsync(NotificationsDb db, Notification notification, SendResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var attempts = notification.Attempts + 1;
        var response = result.Response.Length > 2000 ? result.Response[..2000] : result.Response;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Attempts.Add(new NotificationAttempt { NotificationId = notification.Id, At = now, Success = result.Success, Response = response });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var mine = db.Notifications.Where(n => n.Id == notification.Id && n.LeaseOwner == _owner);
        if (result.Success)
        {
            await mine.ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Sent).SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.Attempts, attempts).SetProperty(n => n.LastError, (string?)null)
                .SetProperty(n => n.LeaseOwner, (string?)null).SetProperty(n => n.LeaseExpiresAt, (DateTimeOffset?)null), ct);
        }
        else
        {
            var failed = attempts >= options.MaxAttempts;
            var next = now + options.RetryDelay(attempts);
            await mine.ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, failed ? NotificationStatus.Failed : NotificationStatus.Pending)
                .SetProperty(n => n.Attempts, attempts).SetProperty(n => n.LastError, response).SetProperty(n => n.NextAttemptAt, next)
                .SetProperty(n => n.LeaseOwner, (string?)null).SetProperty(n => n.LeaseExpiresAt, (DateTimeOffset?)null), ct);
            logger.LogWarning("Notification {Id} (run {RunId}, {Event}) attempt {Attempt} failed{Final}: {Error}", notification.Id, notification.RunId,
                notification.Event, attempts, failed ? ", giving up" : "", response);
        }
        await transaction.CommitAsync(ct);
    }
}
