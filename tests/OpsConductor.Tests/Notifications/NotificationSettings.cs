using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Notifications;

/// <summary>What the notification tests share: fast settings, SMTP set-up, recipients, jobs with rules, and waiting for the history.</summary>
public static class NotificationSettings
{
    /// <summary>Quick polling and retries, so a test waits for seconds, not minutes.</summary>
    public static IReadOnlyDictionary<string, string> Fast { get; } = new Dictionary<string, string>
    {
        ["OpsConductor__Notifications__PollMilliseconds"] = "100",
        ["OpsConductor__Notifications__RetryBaseSeconds"] = "0.3",
        ["OpsConductor__Notifications__RetryMaxSeconds"] = "1",
        ["OpsConductor__Notifications__MaxAttempts"] = "100",
        ["OpsConductor__Notifications__SmtpTimeoutSeconds"] = "5",
        ["OpsConductor__Notifications__LeaseSeconds"] = "20",
    };

    public static async Task SmtpAsync(ApiClient admin, int port, string security = "none", string? username = null, string? password = null,
        bool allowInvalidCertificate = false)
    {
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync("/api/v1/notifications/smtp", new
        {
            host = "127.0.0.1",
            port,
            security,
            username,
            password,
            fromAddress = "opsconductor@example.test",
            fromName = "OpsConductor Tests",
            allowInvalidCertificate,
        }));
    }

    public static string Recipient(string what) => $"{what}-{Guid.NewGuid().ToString("N")[..8]}@example.test";

    /// <summary>A job with notification rules: (event, recipients) pairs.</summary>
    public static async Task<(long Id, string Name)> JobAsync(ApiClient client, object targets, string script, params (string On, string[] Recipients)[] rules)
    {
        var name = Inventory.UniqueName("notify");
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name,
            steps = new[] { new { name = "work", type = "command", script } },
            targets,
            notifications = rules.Select(r => new { on = r.On, recipients = r.Recipients }).ToArray(),
        }));
        return (job.GetProperty("id").GetInt64(), name);
    }

    /// <summary>Polls the history until a notification of the run matches.</summary>
    public static async Task<JsonElement> WaitForNotificationAsync(ApiClient client, long runId, Func<JsonElement, bool> until, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement list = default;
        while (DateTime.UtcNow < deadline)
        {
            list = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/notifications?runId={runId}"));
            if (list.GetProperty("items").EnumerateArray().FirstOrDefault(until) is { ValueKind: JsonValueKind.Object } match)
            {
                return match;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no matching notification for run {runId} in {seconds} s: {list}");
    }

    /// <summary>Queues <paramref name="count"/> runs of the job (no executor takes them) and cancels them: each notifies <c>cancelled</c>.</summary>
    public static async Task<List<long>> CancelledRunsAsync(ApiClient admin, long jobId, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await FleetFixture.StartAsync(admin, jobId));
        }
        foreach (var id in ids)
        {
            await admin.ExpectAsync(HttpStatusCode.Accepted, admin.PostAsync($"/api/v1/runs/{id}/cancel"));
        }
        return ids;
    }
}
