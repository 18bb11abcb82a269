using System.Net;
using OpsConductor.Tests.Infrastructure;
using static OpsConductor.Tests.Notifications.NotificationSettings;

namespace OpsConductor.Tests.Notifications;

/// <summary>Mail about real runs on real sshd targets, through a real SMTP server (smtp4dev), read back as it arrived.</summary>
public sealed class NotificationDeliveryTests(NotificationFleetFixture fleet) : IClassFixture<NotificationFleetFixture>
{
    [Fact]
    public async Task A_failed_run_sends_its_rule_and_the_default_rule_a_message_with_subject_recipients_html_and_text()
    {
        using var admin = await fleet.AdminAsync();
        await SmtpAsync(admin, fleet.Smtp.SmtpPort);
        var onDuty = Recipient("on-duty");
        var lead = Recipient("lead");
        var everyFailure = Recipient("ops");
        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync("/api/v1/notifications/rules/default",
            new { events = new[] { "failed", "timed_out" }, recipients = new[] { everyFailure } }));
        var (jobId, jobName) = await JobAsync(admin, new { targetIds = new[] { fleet.TargetIds[0] } },
            "echo 'preparing <the> disk'; echo disk full >&2; exit 3",
            ("failed", [onDuty, lead]), ("succeeded", [Recipient("never")]));

        var runId = await FleetFixture.StartAsync(admin, jobId);
        Assert.Equal("failed", (await FleetFixture.WaitAsync(admin, runId)).Str("status"));

        var arrived = await fleet.Smtp.WaitForAsync(m => m.To.Contains(onDuty));
        var summary = Assert.Single(arrived);
        Assert.Equal($"[OpsConductor] {jobName} failed (run {runId})", summary.Subject);
        Assert.Equal(new[] { onDuty, lead }.Order(), summary.To.Order());
        var message = await fleet.Smtp.MessageAsync(summary.Id);
        Assert.Equal("opsconductor@example.test", message.From.Mailboxes.Single().Address);
        Assert.NotNull(message.HtmlBody);
        Assert.NotNull(message.TextBody);
        Assert.Contains($"https://ops.example.test/runs/{runId}", message.HtmlBody);
        Assert.Contains(jobName, message.HtmlBody);
        // Output lines are HTML-encoded in the HTML part and as they were in the text part.
        Assert.True(message.HtmlBody.Contains("preparing &lt;the&gt; disk"), message.TextBody);
        Assert.Contains("disk full", message.HtmlBody);
        Assert.Contains("preparing <the> disk", message.TextBody);
        Assert.Contains($"https://ops.example.test/runs/{runId}", message.TextBody);
        Assert.Contains("Trigger:  manual by admin", message.TextBody);

        var byDefault = Assert.Single(await fleet.Smtp.WaitForAsync(m => m.To.Contains(everyFailure)));
        Assert.Equal(summary.Subject, byDefault.Subject);

        var history = await WaitForNotificationAsync(admin, runId, n => n.Str("status") == "sent" && n.Str("rule") == "job:0");
        Assert.Equal("failed", history.Str("event"));
        Assert.Equal(1, history.GetProperty("attempts").GetInt32());
        var detail = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/notifications/{history.GetProperty("id").GetInt64()}"));
        var attempt = Assert.Single(detail.GetProperty("attemptLog").EnumerateArray());
        Assert.True(attempt.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(attempt.Str("response")));
        // Only the failure rules matched: nothing for "succeeded", and "started" has no rule.
        var all = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/notifications?runId={runId}"));
        Assert.Equal(2, all.GetProperty("total").GetInt32());

        await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync("/api/v1/notifications/rules/default", new { events = Array.Empty<string>(), recipients = Array.Empty<string>() }));
    }

    [Fact]
    public async Task Smtp_down_while_a_run_fails_then_up_the_message_arrives_once_after_a_retry()
    {
        using var admin = await fleet.AdminAsync();
        var port = Smtp4devServer.FreePort();
        await SmtpAsync(admin, port);
        var to = Recipient("retry");
        var (jobId, _) = await JobAsync(admin, new { targetIds = new[] { fleet.TargetIds[1] } }, "exit 1", ("failed", [to]));

        var runId = await FleetFixture.StartAsync(admin, jobId);
        // The run is not held up by the mail server being down.
        Assert.Equal("failed", (await FleetFixture.WaitAsync(admin, runId)).Str("status"));
        var failing = await WaitForNotificationAsync(admin, runId, n => n.GetProperty("attempts").GetInt32() >= 2);
        Assert.Equal("pending", failing.Str("status"));
        Assert.Contains($"127.0.0.1:{port}", failing.Str("lastError"));

        await using var smtp = await Smtp4devServer.StartAsync(new Smtp4devServer.Options(SmtpPort: port));
        var sent = await WaitForNotificationAsync(admin, runId, n => n.Str("status") == "sent");
        Assert.True(sent.GetProperty("attempts").GetInt32() >= 3);
        Assert.Single(await smtp.WaitForAsync(m => m.To.Contains(to)));
        Assert.Single(await smtp.MessagesAsync(), m => m.To.Contains(to));

        var detail = await admin.ExpectAsync(HttpStatusCode.OK, admin.GetAsync($"/api/v1/notifications/{sent.GetProperty("id").GetInt64()}"));
        var attempts = detail.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.True(attempts[^1].GetProperty("success").GetBoolean());
        Assert.All(attempts[..^1], a => Assert.False(a.GetProperty("success").GetBoolean()));
        await SmtpAsync(admin, fleet.Smtp.SmtpPort);
    }

    [Fact]
    public async Task A_template_with_an_unknown_field_is_refused_and_a_preview_renders_against_a_real_run()
    {
        using var admin = await fleet.AdminAsync();
        var typo = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync("/api/v1/notifications/templates/failed",
            new { subject = "{{ job.nmae }} failed", html = "<p>{{ run.url }}</p>", text = "{% for t in failedTargets %}{{ t.hostnme }}{% endfor %}" }));
        Assert.Contains("job.nmae", typo.GetProperty("errors").GetProperty("subject")[0].GetString());
        Assert.Contains("t.hostnme", typo.GetProperty("errors").GetProperty("text")[0].GetString());
        Assert.False(typo.GetProperty("errors").TryGetProperty("html", out _));
        var unknownRoot = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync("/api/v1/notifications/templates/failed",
            new { subject = "x", html = "{% if secrets.password %}{{ secrets.password }}{% endif %}", text = "x" }));
        Assert.Contains("secrets", unknownRoot.GetProperty("errors").GetProperty("html")[0].GetString());
        var syntax = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync("/api/v1/notifications/templates/failed",
            new { subject = "{{ job.name ", html = "x", text = "x" }));
        Assert.True(syntax.GetProperty("errors").TryGetProperty("subject", out _));

        var (jobId, jobName) = await JobAsync(admin, new { targetIds = new[] { fleet.TargetIds[2] } }, "echo fine", ("failed", [Recipient("x")]));
        var runId = await FleetFixture.StartAsync(admin, jobId);
        await FleetFixture.WaitAsync(admin, runId);
        var preview = await admin.ExpectAsync(HttpStatusCode.OK, admin.PostAsync("/api/v1/notifications/templates/succeeded/preview", new
        {
            runId,
            subject = "{{ job.name }} is {{ run.status }}",
            html = "<b>{{ job.name }}</b> {% for t in targets %}{{ t.name }}:{{ t.status }}{% endfor %}",
        }));
        Assert.Equal($"{jobName} is succeeded", preview.Str("subject"));
        Assert.Contains($"<b>{jobName}</b>", preview.Str("html"));
        Assert.Contains(":succeeded", preview.Str("html"));
        Assert.Contains($"https://ops.example.test/runs/{runId}", preview.Str("text"));
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/notifications/templates/succeeded/preview", new { runId = 999999 }));
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/notifications/templates/exploded"));

        var saved = await admin.ExpectAsync(HttpStatusCode.OK, admin.PutAsync("/api/v1/notifications/templates/succeeded",
            new { subject = "OK: {{ job.name }}", html = "<p>{{ job.name }}</p>", text = "{{ job.name }}" }));
        Assert.False(saved.GetProperty("isDefault").GetBoolean());
        var reset = await admin.ExpectAsync(HttpStatusCode.OK, admin.DeleteAsync("/api/v1/notifications/templates/succeeded"));
        Assert.True(reset.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task Bad_recipients_are_named_and_only_admins_change_settings()
    {
        using var admin = await fleet.AdminAsync();
        var bad = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("bad-rcpt"),
            steps = new[] { new { name = "x", type = "command", script = "true" } },
            targets = new { tags = new[] { fleet.Tag } },
            notifications = new[] { new { on = "timed_out", recipients = new[] { "ok@example.test", "not an address" } } },
        }));
        Assert.True(bad.GetProperty("errors").TryGetProperty("notifications[0].recipients[1]", out _), bad.ToString());
        var badDefault = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsync("/api/v1/notifications/rules/default",
            new { events = new[] { "failed" }, recipients = new[] { "ops@@example" } }));
        Assert.True(badDefault.GetProperty("errors").TryGetProperty("recipients[0]", out _), badDefault.ToString());

        var (viewer, _, _, _) = await fleet.UserAsync("viewer");
        using (viewer)
        {
            await viewer.ExpectAsync(HttpStatusCode.OK, viewer.GetAsync("/api/v1/notifications"));
            await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.GetAsync("/api/v1/notifications/smtp"));
            await viewer.ExpectAsync(HttpStatusCode.Forbidden, viewer.PutAsync("/api/v1/notifications/templates/failed", new { subject = "x", html = "x", text = "x" }));
        }
        var (op, _, _, _) = await fleet.UserAsync("operator");
        using (op)
        {
            await op.ExpectAsync(HttpStatusCode.Forbidden, op.PostAsync("/api/v1/notifications/smtp/test", new { to = "a@example.test" }));
        }
        await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/notifications?status=lost"));
    }
}
