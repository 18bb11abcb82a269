using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace OpsConductor.Shared.Security;

/// <summary>
/// Stores a set of parameter values. When one of them belongs to a secret parameter the whole set is encrypted with
/// ASP.NET Data Protection (keys in the data directory), so a secret never sits in the database in clear text.
/// Each owner derives its own seal with its own purpose, so one module cannot open another's values.
/// </summary>
public abstract class ParameterSeal(IDataProtectionProvider provider, string purpose)
{
    const string PlainPrefix = "plain:";
    const string SealedPrefix = "sealed:";
    readonly IDataProtector _protector = provider.CreateProtector(purpose);

    public string Seal<TValue>(IReadOnlyDictionary<string, TValue> values, bool containsSecret)
    {
        var json = JsonSerializer.Serialize(values);
        return containsSecret ? SealedPrefix + _protector.Protect(json) : PlainPrefix + json;
    }

    public Dictionary<string, TValue> Unseal<TValue>(string stored)
    {
        var json = IsSealed(stored)
            ? _protector.Unprotect(stored[SealedPrefix.Length..])
            : stored.StartsWith(PlainPrefix, StringComparison.Ordinal) ? stored[PlainPrefix.Length..] : "{}";
        return JsonSerializer.Deserialize<Dictionary<string, TValue>>(json) ?? [];
    }

    public static bool IsSealed(string stored) => stored.StartsWith(SealedPrefix, StringComparison.Ordinal);
}
