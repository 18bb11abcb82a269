using System.Text.Json;

namespace OpsConductor.Jobs;

/// <param name="OverrideBlackout">An admin's way past a blackout window that refuses manual runs of the job.</param>
public sealed record RunRequest(Dictionary<string, JsonElement>? Parameters = null, RunTrigger? Trigger = null, bool? OverrideBlackout = null);
