using System.Text.Json;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Scheduler;

/// <summary>A schedule; <see cref="NextFireAt"/> is null while it is disabled or paused, <see cref="LastRunStatus"/> its last run's outcome.</summary>
public sealed record ScheduleDto(long Id, string Name, long JobId, string? JobName, string? Cron, string? RunAt, string Timezone,
    Dictionary<string, JsonElement> Parameters, IReadOnlyList<string> Tags, bool Enabled, bool Paused, string? DisabledReason,
    DateTimeOffset? NextFireAt, DateTimeOffset? LastFireAt, long? LastRunId, RunStatus? LastRunStatus,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt);
