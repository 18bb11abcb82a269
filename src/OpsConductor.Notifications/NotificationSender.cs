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
/// claiming), so two senders never take the same one; deals them out over up to <see cref="NotificationsOptions.SenderConnections"/>
/// slices, each sent over its own SMTP connection (connected and authenticated once) at the same time as the others, since
/// one connection waits for every answer before the next message; each slice renews its own claim in one statement whenever
/// less is left of it than one exchange and the recording need; then records every try with the server's answer in one
/// transaction. A refused message (or recipient) does not stop its slice; when the server cannot be reached, the rest of
/// that slice waits as long as its failed message without using up a try, and the other slices keep what they got. A failed
/// message is retried with exponential backoff until <see cref="NotificationsOptions.MaxAttempts"/>, then failed. A process
/// killed mid-batch has recorded none of it: what the server already took is sent again once the claim lapses (at most one
/// batch). Nothing here touches a run: a notification failure never fails or delays one.
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
        var batch = await db.Notifications.Where(n => claimed.Contains(n.Id)).OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).ToListAsync(ct);
        var (connection, unsealError) = await ConnectionAsync(scope.ServiceProvider.GetRequiredService<SmtpSettingsStore>(), ct);
        var slices = Split(batch, connection is null ? 1 : options.SenderConnections, claimedAt + options.Lease);
        // db is not used while the slices send: each has its own scope, and the batch's entities are only read by them.
        await Task.WhenAll(slices.Select(slice => SendSliceAsync(slice, connection, unsealError, ct)));
        // Recorded even while the host stops: a message the server accepted must not be sent again.
        await RecordAsync(db, slices, CancellationToken.None);
        return claimed.Count;
    }

    /// <summary>The settings to connect with, unsealed once for all of the round's connections, or why they cannot be unsealed.</summary>
    static async Task<(SmtpConnection? Connection, string? UnsealError)> ConnectionAsync(SmtpSettingsStore smtp, CancellationToken ct)
    {
        try
        {
            return (await smtp.ConnectionAsync(ct), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, SmtpSettingsStore.UnsealFailure);
        }
    }

    /// <summary>
    /// The batch dealt out in turn over up to <paramref name="connections"/> slices, so every connection starts with one of
    /// the longest waiting messages. Without settings to connect with there is nothing to send in parallel: one slice, so
    /// one message a round pays for finding out, as with a single connection.
    /// </summary>
    static List<Slice> Split(List<Notification> batch, int connections, DateTimeOffset leaseEnd)
    {
        var count = Math.Min(connections, batch.Count);
        return Enumerable.Range(0, count).Select(i => new Slice(batch.Where((_, index) => index % count == i).ToList(), leaseEnd)).ToList();
    }

    /// <summary>
    /// One slice over one connection, a message after another. Never throws: an unexpected failure (its claim renewal's
    /// database, say) ends this slice only, with what it sent still recorded and the rest released.
    /// </summary>
    async Task SendSliceAsync(Slice slice, SmtpConnection? connection, string? unsealError, CancellationToken ct)
    {
        try
        {
            // Its own scope: a slice renews its claim while the others send, and a DbContext is not thread-safe.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
            await using var sender = connection is null ? null : new MailSender(connection, TimeSpan.FromSeconds(options.SmtpTimeoutSeconds));
            foreach (var notification in slice.Messages)
            {
                if (ct.IsCancellationRequested || !await HoldAsync(db, slice))
                {
                    return;
                }
                if (await SendOneAsync(sender, connection, unsealError, notification, ct) is not { } result)
                {
                    slice.InDoubt = true;
                    return;
                }
                slice.Tried.Add((notification, result));
                if (result.ConnectionFailed)
                {
                    // The server cannot be reached (or the settings cannot be unsealed): the rest of the slice waits as long as
                    // this message does, without using up a try; one message a connection pays for finding out.
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // Caught whatever it is: a slice that threw would leave every slice's tries unrecorded, and what the server took sent again.
            logger.LogWarning("Sending notifications over one connection failed: {Error}", ex.GetType().Name);
        }
    }

    /// <summary>
    /// A message goes to the server only while this sender's claim outlasts the whole exchange (connect, authenticate, send:
    /// each up to the SMTP timeout) and the recording after it; the claim of the slice's rest is renewed in one statement.
    /// </summary>
    /// <returns>False when the rest is not all this sender's any more (a clock far off?): it is left to whoever holds it.</returns>
    async Task<bool> HoldAsync(NotificationsDb db, Slice slice)
    {
        if (clock.GetUtcNow() + RenewWithin <= slice.LeaseEnd)
        {
            return true;
        }
        var rest = slice.Untried.Select(n => n.Id).ToList();
        var renewedAt = clock.GetUtcNow();
        var renewed = await db.Notifications.Where(n => rest.Contains(n.Id) && n.LeaseOwner == _owner && n.Status == NotificationStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseExpiresAt, renewedAt + options.Lease), CancellationToken.None);
        if (renewed != rest.Count)
        {
            return false;
        }
        slice.LeaseEnd = renewedAt + options.Lease;
        return true;
    }

    /// <returns>The server's answer, or null when the host stopped mid-exchange (whether the server took the message is unknown).</returns>
    static async Task<SendResult?> SendOneAsync(MailSender? sender, SmtpConnection? connection, string? unsealError, Notification notification,
        CancellationToken ct)
    {
        if (sender is null || connection is null)
        {
            return new SendResult(false, unsealError ?? "No SMTP server is configured.", ConnectionFailed: true);
        }
        var recipients = JsonSerializer.Deserialize<List<string>>(notification.RecipientsJson)!;
        try
        {
            return await sender.SendAsync(MailSender.Compose(connection, recipients, notification.Subject, notification.Html, notification.Text), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Renew a slice's claim when less than this is left of it: the longest exchange of one message, and half the rest for recording.</summary>
    TimeSpan RenewWithin => TimeSpan.FromSeconds(options.SmtpTimeoutSeconds * 3) + (options.Lease - TimeSpan.FromSeconds(options.SmtpTimeoutSeconds * 3)) / 2;

    /// <summary>Due pending messages whose lease is free or lapsed, the longest waiting first.</summary>
    static readonly LeaseClaim.Filter Due = new("\"Status\" = 'pending' AND \"NextAttemptAt\" <= {now}", "\"NextAttemptAt\", \"Id\"");

    /// <summary>
    /// The batch's attempts and outcomes in one transaction and one SaveChanges: each try with the server's answer; a sent
    /// message done, a failed one due again after its backoff (or failed for good after its last try); the messages not
    /// tried released, due when their slice's failed one is if its connection could not reach the server (another slice's
    /// connection may have). Only messages this sender still holds change.
    /// </summary>
    async Task RecordAsync(NotificationsDb db, IReadOnlyList<Slice> slices, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = slices.SelectMany(s => s.Tried.Select(t => t.Notification).Concat(s.Untried)).Select(n => n.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var held = (await db.Notifications.AsNoTracking().Where(n => ids.Contains(n.Id) && n.LeaseOwner == _owner && n.Status == NotificationStatus.Pending)
            .Select(n => n.Id).ToListAsync(ct)).ToHashSet();
        foreach (var slice in slices)
        {
            var unreachableUntil = RecordTried(db, slice.Tried, held, now);
            Release(db, slice.Untried, held, unreachableUntil);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <returns>When the failed message is due again if the server could not be reached, for the untried rest of its slice.</returns>
    DateTimeOffset? RecordTried(NotificationsDb db, List<(Notification Notification, SendResult Result)> tried, HashSet<long> held, DateTimeOffset now)
    {
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
        return unreachableUntil;
    }

    static void Release(NotificationsDb db, IEnumerable<Notification> untried, HashSet<long> held, DateTimeOffset? unreachableUntil)
    {
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
    }

    /// <summary>
    /// One connection's share of a round: its messages in order, those handed to the server with its answers, and its own
    /// claim's end (renewed by this slice only). Changed by its own send loop alone, read once every slice has finished.
    /// </summary>
    sealed class Slice(List<Notification> messages, DateTimeOffset leaseEnd)
    {
        public List<Notification> Messages => messages;

        public List<(Notification Notification, SendResult Result)> Tried { get; } = [];

        public DateTimeOffset LeaseEnd { get; set; } = leaseEnd;

        /// <summary>Stopped mid-exchange: whether the server took the next message is unknown, so it keeps its claim until that lapses.</summary>
        public bool InDoubt { get; set; }

        /// <summary>The messages not handed to the server (yet, while sending): released when the round is recorded.</summary>
        public IEnumerable<Notification> Untried => messages.Skip(Tried.Count + (InDoubt ? 1 : 0));
    }
}
