using System.Text.Json;

namespace OpsConductor.Jobs;

public sealed record RunRequest(Dictionary<string, JsonElement>? Parameters = null, RunTrigger? Trigger = null);
