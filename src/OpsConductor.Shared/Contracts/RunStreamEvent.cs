using System.Text.Json.Serialization;

namespace OpsConductor.Shared.Contracts;

/// <summary>
/// One event of a run, as the ledger stores it, <c>GET /runs/{id}/events</c> streams it (the SSE <c>event:</c> field is
/// <see cref="Kind"/>, <c>id:</c> is <see cref="Id"/>, <c>data:</c> this record as JSON) and <c>GET /runs/{id}</c> folds it.
/// The UI's types are generated from these records through the OpenAPI document.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(RunQueued), RunEventKinds.Queued)]
[JsonDerivedType(typeof(TargetsResolved), RunEventKinds.TargetsResolved)]
[JsonDerivedType(typeof(StatusChanged), RunEventKinds.StatusChanged)]
[JsonDerivedType(typeof(OutputChunk), RunEventKinds.Output)]
[JsonDerivedType(typeof(StreamEnded), RunEventKinds.End)]
[JsonDerivedType(typeof(StreamExpired), RunEventKinds.Expired)]
public abstract record RunStreamEvent
{
    /// <summary>The event's position in the run's stream (0 for the stream's own end/expired events).</summary>
    [JsonRequired]
    public long Id { get; init; }

    [JsonRequired]
    public DateTimeOffset At { get; init; }

    /// <summary>The discriminator, as the SSE <c>event:</c> field.</summary>
    [JsonIgnore]
    public string Kind => this switch
    {
        RunQueued => RunEventKinds.Queued,
        TargetsResolved => RunEventKinds.TargetsResolved,
        StatusChanged => RunEventKinds.StatusChanged,
        OutputChunk => RunEventKinds.Output,
        StreamEnded => RunEventKinds.End,
        StreamExpired => RunEventKinds.Expired,
        _ => throw new InvalidOperationException($"No kind for {GetType().Name}"),
    };
}

/// <summary>The run was queued, or the reason it still waits changed.</summary>
public sealed record RunQueued(string? WaitReason) : RunStreamEvent;

/// <summary>
/// The executor resolved the run's targets: every target with the steps it will run, and what could not be resolved.
/// It replaces the run's targets (a run re-queued after the loss of its executor is resolved again when claimed again);
/// every target and step starts queued.
/// </summary>
public sealed record TargetsResolved(IReadOnlyList<ResolvedTarget> Targets, IReadOnlyList<string> Problems) : RunStreamEvent;

public sealed record ResolvedTarget(long TargetId, string TargetName, string Hostname, IReadOnlyList<ResolvedStep> Steps);

public sealed record ResolvedStep(int Index, string Name);

/// <summary>
/// The run, one of its targets or one step on a target changed status. Times are those of the scope: a start sets
/// <see cref="StartedAt"/>, a final status also <see cref="FinishedAt"/>.
/// <para>
/// Every field is the scope's new state, so applying the events in order gives what <c>GET /runs/{id}</c> shows:
/// a step that starts again (a retry) clears its exit code, error and output; a run that goes back to
/// <see cref="RunStatus.Queued"/> (re-queued after the loss of its executor) has no targets until the next
/// <see cref="TargetsResolved"/>. Steps a target never reached end <see cref="RunStatus.Skipped"/> with the reason
/// ("Not run: an earlier step failed.") as the error and no times. <see cref="Attempt"/> is set for targets only.
/// </para>
/// </summary>
public sealed record StatusChanged(
    RunScope Scope,
    long? TargetId,
    int? Step,
    RunStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    string? Error,
    int? Attempt) : RunStreamEvent;

/// <summary>
/// Consecutive output lines of one step on one target, already redacted. <see cref="FirstLine"/> is the 1-based number of
/// the first line among the step's lines (both streams counted together), so a reader can tell a gap from a repeat.
/// The numbering starts again at 1 when the step starts again (its <see cref="StatusChanged"/> to running): a step's
/// output is that of its latest attempt.
/// </summary>
public sealed record OutputChunk(long TargetId, int Step, OutputStream Stream, long FirstLine, IReadOnlyList<string> Lines) : RunStreamEvent;

/// <summary>The stream's last event: the run is final and every event was sent. Sent without an SSE <c>id:</c> (its Id is 0).</summary>
public sealed record StreamEnded(RunStatus Status) : RunStreamEvent;

/// <summary>The caller's access token expired: reconnect with a fresh one and <c>Last-Event-ID</c>. Sent without an SSE <c>id:</c> (its Id is 0).</summary>
public sealed record StreamExpired : RunStreamEvent;

/// <summary>What a <see cref="StatusChanged"/> is about.</summary>
public enum RunScope
{
    Run,
    Target,
    Step,
}

/// <summary>The event kinds: the JSON discriminator and the SSE <c>event:</c> field.</summary>
public static class RunEventKinds
{
    public const string Queued = "queued";
    public const string TargetsResolved = "targets_resolved";
    public const string StatusChanged = "status_changed";
    public const string Output = "output";
    public const string End = "end";
    public const string Expired = "expired";
}
