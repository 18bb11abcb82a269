using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using OpsConductor.Shared.Security;

namespace OpsConductor.Scheduler;

/// <summary>Keeps a schedule's parameter values, sealed whenever one of them is secret; responses show secrets masked.</summary>
public sealed class ScheduleParameterSeal(IDataProtectionProvider provider) : ParameterSeal(provider, "OpsConductor.Scheduler.ScheduleParameters.v1")
{
    public const string Mask = "********";

    public string Seal(IReadOnlyDictionary<string, JsonElement> values, bool containsSecret) => Seal<JsonElement>(values, containsSecret);

    public Dictionary<string, JsonElement> Unseal(string stored) => Unseal<JsonElement>(stored);

    /// <summary>The values as responses show them: secret ones masked (every one when the secret names are unknown: null).</summary>
    public static Dictionary<string, JsonElement> Masked(IReadOnlyDictionary<string, JsonElement> values, IReadOnlyCollection<string>? secretNames) =>
        values.ToDictionary(v => v.Key, v => secretNames?.Contains(v.Key) != false ? JsonSerializer.SerializeToElement(Mask) : v.Value);
}
