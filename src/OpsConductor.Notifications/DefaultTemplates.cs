using OpsConductor.Shared.Contracts;

namespace OpsConductor.Notifications;

/// <summary>
/// The built-in template of each event (what an event uses until an admin saves one): a short subject, an HTML body
/// with inline styles and tables only (what common mail clients render alike), and a plain-text alternative.
/// </summary>
public static class DefaultTemplates
{
    public sealed record Template(string Subject, string Html, string Text);

    public static Template For(NotificationEvent @event) => @event switch
    {
        NotificationEvent.Started => Build("started", "#1c7ed6", "{{ job.name }} started (run {{ run.id }})", "Run {{ run.id }} of {{ job.name }} started."),
        NotificationEvent.Succeeded => Build("succeeded", "#2f9e44", "{{ job.name }} succeeded (run {{ run.id }})", "Run {{ run.id }} of {{ job.name }} succeeded."),
        NotificationEvent.Failed => Build("failed", "#e03131", "{{ job.name }} failed (run {{ run.id }})", "Run {{ run.id }} of {{ job.name }} failed."),
        NotificationEvent.Cancelled => Build("cancelled", "#868e96", "{{ job.name }} was cancelled (run {{ run.id }})", "Run {{ run.id }} of {{ job.name }} was cancelled."),
        NotificationEvent.TimedOut => Build("timed_out", "#f08c00", "{{ job.name }} timed out (run {{ run.id }})", "Run {{ run.id }} of {{ job.name }} timed out."),
        NotificationEvent.Missed => Missed,
        _ => throw new ArgumentOutOfRangeException(nameof(@event)),
    };

    /// <summary>A schedule's missed occurrence: no run, so the schedule, its due time (UTC and local) and why it did not fire.</summary>
    static readonly Template Missed = new(
        "[OpsConductor] {{ job.name }}: schedule {{ schedule.name }} missed {{ schedule.dueAt }}",
        """
        <!DOCTYPE html>
        <html>
        <body style="margin:0;padding:0;background:#f1f3f5;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#212529;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f5;padding:24px 0;">
        <tr><td align="center">
        <table role="presentation" width="640" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:6px;border-top:6px solid #f08c00;">
        <tr><td style="padding:24px 28px 8px 28px;">
        <h1 style="margin:0;font-size:20px;color:#f08c00;">Schedule {{ schedule.name }} of {{ job.name }} missed an occurrence.</h1>
        <p style="margin:12px 0 0 0;font-size:14px;">{{ schedule.reason }}</p>
        </td></tr>
        <tr><td style="padding:16px 28px;">
        <table role="presentation" cellpadding="4" cellspacing="0" style="font-size:14px;">
        <tr><td style="color:#868e96;">Job</td><td>{{ job.name }}</td></tr>
        <tr><td style="color:#868e96;">Schedule</td><td>{{ schedule.name }}</td></tr>
        <tr><td style="color:#868e96;">Due (UTC)</td><td>{{ schedule.dueAt }}</td></tr>
        <tr><td style="color:#868e96;">Due (local)</td><td>{{ schedule.dueAtLocal }}</td></tr>
        {% if schedule.missedCount > 1 %}<tr><td style="color:#868e96;">Missed</td><td>{{ schedule.missedCount }} occurrences; this is the latest</td></tr>{% endif %}
        </table>
        </td></tr>
        <tr><td style="padding:16px 28px 28px 28px;">
        <a href="{{ schedule.url }}" style="display:inline-block;padding:10px 18px;background:#f08c00;color:#ffffff;text-decoration:none;border-radius:4px;font-size:14px;">Open the schedule</a>
        </td></tr>
        </table>
        <p style="font-size:12px;color:#868e96;">Sent by OpsConductor because this job or the default rule notifies on missed schedule occurrences. No run was started for it.</p>
        </td></tr>
        </table>
        </body>
        </html>
        """,
        """
        Schedule {{ schedule.name }} of {{ job.name }} missed an occurrence.
        {{ schedule.reason }}

        Job:         {{ job.name }}
        Schedule:    {{ schedule.name }}
        Due (UTC):   {{ schedule.dueAt }}
        Due (local): {{ schedule.dueAtLocal }}
        {% if schedule.missedCount > 1 %}Missed:      {{ schedule.missedCount }} occurrences; this is the latest
        {% endif %}
        Open the schedule: {{ schedule.url }}

        Sent by OpsConductor because this job or the default rule notifies on missed schedule occurrences. No run was started for it.
        """);

    static Template Build(string status, string colour, string subject, string headline) => new(
        $"[OpsConductor] {subject}",
        $$$"""
        <!DOCTYPE html>
        <html>
        <body style="margin:0;padding:0;background:#f1f3f5;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#212529;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f5;padding:24px 0;">
        <tr><td align="center">
        <table role="presentation" width="640" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:6px;border-top:6px solid {{{colour}}};">
        <tr><td style="padding:24px 28px 8px 28px;">
        <h1 style="margin:0;font-size:20px;color:{{{colour}}};">{{{headline}}}</h1>
        {% if run.error != "" %}<p style="margin:12px 0 0 0;font-size:14px;">{{ run.error }}</p>{% endif %}
        </td></tr>
        <tr><td style="padding:16px 28px;">
        <table role="presentation" cellpadding="4" cellspacing="0" style="font-size:14px;">
        <tr><td style="color:#868e96;">Job</td><td>{{ job.name }}</td></tr>
        <tr><td style="color:#868e96;">Status</td><td>{{ run.status }}</td></tr>
        <tr><td style="color:#868e96;">Trigger</td><td>{{ run.trigger }}{% if run.requestedBy != "" %} by {{ run.requestedBy }}{% endif %}</td></tr>
        <tr><td style="color:#868e96;">Queued</td><td>{{ run.queuedAt }}</td></tr>
        {% if run.startedAt != "" %}<tr><td style="color:#868e96;">Started</td><td>{{ run.startedAt }}</td></tr>{% endif %}
        {% if run.finishedAt != "" %}<tr><td style="color:#868e96;">Finished</td><td>{{ run.finishedAt }}</td></tr>{% endif %}
        {% if run.duration != "" %}<tr><td style="color:#868e96;">Duration</td><td>{{ run.duration }}</td></tr>{% endif %}
        {% if run.targetCount > 0 %}<tr><td style="color:#868e96;">Targets</td><td>{{ run.targetCount }} ({{ run.failedCount }} not succeeded)</td></tr>{% endif %}
        </table>
        </td></tr>
        {% for t in failedTargets %}
        <tr><td style="padding:8px 28px;">
        <p style="margin:0 0 6px 0;font-size:14px;"><strong>{{ t.name }}</strong> ({{ t.hostname }}): {{ t.status }}{% if t.error != "" %}: {{ t.error }}{% endif %}</p>
        {% if t.lastLines.size > 0 %}<pre style="margin:0;padding:10px;background:#212529;color:#f8f9fa;font-size:12px;white-space:pre-wrap;border-radius:4px;">{% for line in t.lastLines %}{{ line }}
        {% endfor %}</pre>{% endif %}
        </td></tr>
        {% endfor %}
        <tr><td style="padding:16px 28px 28px 28px;">
        <a href="{{ run.url }}" style="display:inline-block;padding:10px 18px;background:{{{colour}}};color:#ffffff;text-decoration:none;border-radius:4px;font-size:14px;">Open run {{ run.id }}</a>
        </td></tr>
        </table>
        <p style="font-size:12px;color:#868e96;">Sent by OpsConductor because this job or the default rule notifies on {{{status}}} runs.</p>
        </td></tr>
        </table>
        </body>
        </html>
        """,
        $$$"""
        {{{headline}}}
        {% if run.error != "" %}
        {{ run.error }}
        {% endif %}

        Job:      {{ job.name }}
        Status:   {{ run.status }}
        Trigger:  {{ run.trigger }}{% if run.requestedBy != "" %} by {{ run.requestedBy }}{% endif %}
        Queued:   {{ run.queuedAt }}
        {% if run.startedAt != "" %}Started:  {{ run.startedAt }}
        {% endif %}{% if run.finishedAt != "" %}Finished: {{ run.finishedAt }}
        {% endif %}{% if run.duration != "" %}Duration: {{ run.duration }}
        {% endif %}{% for t in failedTargets %}
        {{ t.name }} ({{ t.hostname }}): {{ t.status }}{% if t.error != "" %}: {{ t.error }}{% endif %}
        {% for line in t.lastLines %}    {{ line }}
        {% endfor %}{% endfor %}
        Open the run: {{ run.url }}

        Sent by OpsConductor because this job or the default rule notifies on {{{status}}} runs.
        """);
}
