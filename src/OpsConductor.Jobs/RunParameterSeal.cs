using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace OpsConductor.Jobs;

/// <summary>
/// Keeps a run's parameter values for the executor. Values of secret parameters never sit in the
/// database in clear text: the whole set is encrypted with ASP.NET Data Protection (keys in the
/// data directory) whenever it contains one.
/// </summary>
public sealed class RunParameterSeal(IDataProtectionProvider provider)
{
    const string PlainPrefix = "plain:";
    const string SealedPrefix = "sealed:";
    readonly IDataProtector _protector = provider.CreateProtector("OpsConductor.Jobs.RunParameters.v1");

    public string Seal(IReadOnlyDictionary<string, string> values, bool containsSecret)
    {
        var json = JsonSerializer.Serialize(values);
        return containsSecret ? SealedPrefix + _protector.Protect(json) : PlainPrefix + json;
    }

    public IReadOnlyDictionary<string, string> Unseal(string stored)
    {
        var json = stored.StartsWith(SealedPrefix, StringComparison.Ordinal)
            ? _protector.Unprotect(stored[SealedPrefix.Length..])
            : stored.StartsWith(PlainPrefix, StringComparison.Ordinal) ? stored[PlainPrefix.Length..] : "{}";
        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
    }
}
