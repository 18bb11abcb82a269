using System.Text.Json;

namespace OpsConductor.Jobs;

/// <param name="OverrideBlackout">An admin's way past a blackout window that refuses manual runs of the job.</param>
/// <param name="TargetIds">Run on exactly these targets instead of the job's own (its target ids and tags); left out: the job's.</param>
public sealed record RunRequest(Dictionary<string, JsonElement>? Parameters = null, RunTrigger? Trigger = null, bool? OverrideBlackout = null,
    IReadOnlyList<long>? TargetIds = null);
