using Microsoft.AspNetCore.Mvc;

namespace OpsConductor.Notifications;

/// <summary>The history's filters, all optional and combined: status, event, and the run, job or schedule a message is about.</summary>
public readonly record struct NotificationFilter(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "event")] string? Event,
    [FromQuery(Name = "runId")] long? RunId,
    [FromQuery(Name = "jobId")] long? JobId,
    [FromQuery(Name = "scheduleId")] long? ScheduleId);
