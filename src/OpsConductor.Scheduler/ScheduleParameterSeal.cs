using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace OpsConductor.Scheduler;

/// <summary>
/// Keeps a schedule's parameter values. When one of them belongs to a secret parameter the whole set is encrypted with
/// ASP.NET Data Protection, so a secret never sits in the database in clear text; responses show it masked.
/// </summary>
public sealed class ScheduleParameterSeal(IDataProtectionProvider provider)
{
    public const string Mask = "********";
    const string PlainPrefix = "plain:";
    const string SealedPrefix = "sealed:";
    readonly IDataProtector _protector = provider.CreateProtector("OpsConductor.Scheduler.ScheduleParameters.v1");

    public string Seal(IReadOnlyDictionary<string, JsonElement> values, bool containsSecret)
    {
        var json = JsonSerializer.Serialize(values);
        return containsSecret ? SealedPrefix + _protector.Protect(json) : PlainPrefix + json;
    }

    public Dictionary<string, JsonElement> Unseal(string stored)
    {
        var json = stored.StartsWith(SealedPrefix, StringComparison.Ordinal)
            ? _protector.Unprotect(stored[SealedPrefix.Length..])
            : stored.StartsWith(PlainPrefix, StringComparison.Ordinal) ? stored[PlainPrefix.Length..] : "{}";
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
    }

    public static bool IsSealed(string stored) => stored.StartsWith(SealedPrefix, StringComparison.Ordinal);

    /// <summary>The values as responses show them: secret ones masked (every one when the secret names are unknown: null).</summary>
    public static Dictionary<string, JsonElement> Masked(IReadOnlyDictionary<string, JsonElement> values, IReadOnlyCollection<string>? secretNames) =>
        values.ToDictionary(v => v.Key, v => secretNames?.Contains(v.Key) != false ? JsonSerializer.SerializeToElement(Mask) : v.Value);
}
