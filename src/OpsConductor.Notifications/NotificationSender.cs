using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

/// <summary>
/// Sends due pending messages in batches. A round claims up to <see cref="NotificationsOptions.BatchSize"/> in one statement
/// (<see cref="LeaseClaim"/>: only pending, due and unclaimed or lapsed ones; PostgreSQL skips rows another sender is
/// claiming), so two senders never take the same one; sends them over one SMTP connection (connected and authenticated
/// once), renewing the batch's claim in one statement whenever less is left of it than one exchange and the recording need;
/// then records every try with the server's answer in one transaction. A refused message (or recipient) does not stop the
/// batch; when the server cannot be reached, the rest of the batch waits as long as the failed message without using up a
/// try. A failed message is retried with exponential backoff until <see cref="NotificationsOptions.MaxAttempts"/>, then
/// failed. A process killed mid-batch has recorded none of it: what the server already took is sent again once the claim
/// lapses (at most one batch). Nothing here touches a run: a notification failure never fails or delays one.
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

    /// <returns>How many messages were claimed.</returns>
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
        var claimedAt = clock.GetUtcNow();
        var claimed = await LeaseClaim.ClaimAsync<Notification>(db, _owner, options.BatchSize, claimedAt, options.Lease, ct, Due);
        if (claimed.Count == 0)
        {
            return 0;
        }
        var leaseEnd = claimedAt + options.Lease;
        var batch = await db.Notifications.Where(n => claimed.Contains(n.Id)).OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).ToListAsync(ct);
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
        var tried = new List<(Notification Notification, SendResult Result)>();
        var untried = new List<Notification>();
        await using (var sender = connection is null ? null : new MailSender(connection, TimeSpan.FromSeconds(options.SmtpTimeoutSeconds)))
        {
            foreach (var notification in batch)
            {
                if (ct.IsCancellationRequested || untried.Count > 0)
                {
                    untried.Add(notification);
                    continue;
                }
                // A message goes to the server only while this sender's claim outlasts the whole exchange (connect, authenticate,
                // send: each up to the SMTP timeout) and the recording after it; the claim of the rest is renewed in one statement.
                if (clock.GetUtcNow() + RenewWithin > leaseEnd)
                {
                    var rest = batch.Skip(tried.Count).Select(n => n.Id).ToList();
                    var renewedAt = clock.GetUtcNow();
                    var renewed = await db.Notifications.Where(n => rest.Contains(n.Id) && n.LeaseOwner == _owner && n.Status == NotificationStatus.Pending)
                        .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseExpiresAt, renewedAt + options.Lease), CancellationToken.None);
                    if (renewed != rest.Count)
                    {
                        untried.Add(notification); // not ours any more (a clock far off?): leave the rest to whoever holds them
                        continue;
                    }
                    leaseEnd = renewedAt + options.Lease;
                }
                SendResult result;
                if (sender is null || connection is null)
                {
                    result = new SendResult(false, unsealError ?? "No SMTP server is configured.", ConnectionFailed: true);
                }
                else
                {
                    var recipients = JsonSerializer.Deserialize<List<string>>(notification.RecipientsJson)!;
                    try
                    {
                        result = await sender.SendAsync(MailSender.Compose(connection, recipients, notification.Subject, notification.Html, notification.Text),
                            ct);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Stopping mid-exchange: whether the server took this one is unknown, so it keeps its claim until that lapses;
                        // what was sent before it is recorded below, the rest released.
                        untried.AddRange(batch.Skip(tried.Count + 1));
                        break;
                    }
                }
                tried.Add((notification, result));
                if (result.ConnectionFailed)
                {
                    // The server cannot be reached (or the settings cannot be unsealed): the rest of the batch waits as long as this
                    // message does, without using up a try; one message a round pays for finding out.
                    untried.AddRange(batch.Skip(tried.Count));
                    break;
                }
            }
        }
        // Recorded even while the host stops: a message the server accepted must not be sent again.
        await RecordAsync(db, tried, untried, CancellationToken.None);
        return claimed.Count;
    }

    /// <summary>Renew the batch's claim when less than this is left of it: the longest exchange of one message, and half the rest for recording.</summary>
    TimeSpan RenewWithin => TimeSpan.FromSeconds(options.SmtpTimeoutSeconds * 3) + (options.Lease - TimeSpan.FromSeconds(options.SmtpTimeoutSeconds * 3)) / 2;

    /// <summary>Due pending messages whose lease is free or lapsed, the longest waiting first.</summary>
    static readonly LeaseClaim.Filter Due = new("\"Status\" = 'pending' AND \"NextAttemptAt\" <= {now}", "\"NextAttemptAt\", \"Id\"");

    async Task<List<long>> ClaimAsync(NotificationsDb db, CancellationToken ct) =>
        await LeaseClaim.ClaimAsync<Notification>(db, _owner, options.BatchSize, clock.GetUtcNow(), options.Lease, ct, Due);

    /// <summary>
    /// The batch's attempts and outcomes in one transaction and one SaveChanges: each try with the server's answer; a sent
    /// message done, a failed one due again after its backoff (or failed for good after its last try); the messages not
    /// tried released, due when the failed one is if the server could not be reached. Only messages this sender still holds change.
    /// </summary>
    async Task RecordAsync(NotificationsDb db, List<(Notification Notification, SendResult Result)> tried, List<Notification> untried, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = tried.Select(t => t.Notification.Id).Concat(untried.Select(n => n.Id)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var held = (await db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id) && n.LeaseOwner == _owner && n.Status == NotificationStatus.Pending)
            .Select(n => n.Id).ToListAsync(ct)).ToHashSet();
        DateTimeOffset? unreachableUntil = null;
        foreach (var (notification, result) in tried)
        {
            var response = result.Response.Length > 2000 ? result.Response[..2000] : result.Response;
            db.Attempts.Add(new NotificationAttempt { NotificationId = notification.Id, At = now, Success = result.Success, Response = response });
            if (!held.Contains(notification.Id))
            {
                db.Entry(notification).State = EntityState.Detached;
                continue;
            }
            notification.Attempts++;
            notification.LeaseOwner = null;
            notification.LeaseExpiresAt = null;
            if (result.Success)
            {
                notification.Status = NotificationStatus.Sent;
                notification.SentAt = now;
                notification.LastError = null;
                continue;
            }
            var failed = notification.Attempts >= options.MaxAttempts;
            notification.Status = failed ? NotificationStatus.Failed : NotificationStatus.Pending;
            notification.LastError = response;
            notification.NextAttemptAt = now + options.RetryDelay(notification.Attempts);
            if (result.ConnectionFailed)
            {
                unreachableUntil = notification.NextAttemptAt;
            }
            logger.LogWarning("Notification {Id} (run {RunId}, {Event}) attempt {Attempt} failed{Final}: {Error}", notification.Id, notification.RunId,
                notification.Event, notification.Attempts, failed ? ", giving up" : "", response);
        }
        foreach (var notification in untried)
        {
            if (!held.Contains(notification.Id))
            {
                db.Entry(notification).State = EntityState.Detached;
                continue;
            }
            notification.LeaseOwner = null;
            notification.LeaseExpiresAt = null;
            if (unreachableUntil is { } until && until > notification.NextAttemptAt)
            {
                notification.NextAttemptAt = until;
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
