using System.Text.Json;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;

namespace OpsConductor.Jobs;

/// <summary>Builds the stored events; output events keep the raw line, status events a small JSON document.</summary>
static class RunEvents
{
    public const string Output = "output";
    public const string StatusKind = "status";

    public sealed record StatusChange(string Scope, RunStatus Status, int? ExitCode, string? Error);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { HttpDefaults.EnumConverter } };

    public static RunEvent Status(long runId, string scope, long? targetId, int? step, RunStatus status, int? exitCode, string? error, DateTimeOffset at) =>
        new()
        {
            RunId = runId,
            Kind = StatusKind,
            TargetId = targetId,
            StepIndex = step,
            Text = JsonSerializer.Serialize(new StatusChange(scope, status, exitCode, error), Json),
            At = at,
        };

    public static StatusChange ReadStatus(RunEvent e) => JsonSerializer.Deserialize<StatusChange>(e.Text, Json)!;
}
