using System.Text.Json;

namespace OpsConductor.Scheduler;

/// <summary>
/// A schedule as created or replaced: <c>cron</c> (5 fields, or 6 with leading seconds) or <c>runAt</c> (a local date-time,
/// one-time) in <c>timezone</c> (IANA, default UTC). A secret parameter sent as <c>********</c> keeps its saved value.
/// </summary>
public sealed record ScheduleRequest(string? Name, long? JobId, string? Cron = null, string? RunAt = null, string? Timezone = null, bool? Enabled = null,
    Dictionary<string, JsonElement>? Parameters = null, IReadOnlyList<string>? Tags = null);
