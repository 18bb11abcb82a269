using Microsoft.AspNetCore.DataProtection;
using OpsConductor.Shared.Security;

namespace OpsConductor.Jobs;

/// <summary>Keeps a run's parameter values for the executor, sealed whenever one of them is secret.</summary>
public sealed class RunParameterSeal(IDataProtectionProvider provider) : ParameterSeal(provider, "OpsConductor.Jobs.RunParameters.v1")
{
    public string Seal(IReadOnlyDictionary<string, string> values, bool containsSecret) => Seal<string>(values, containsSecret);

    public IReadOnlyDictionary<string, string> Unseal(string stored) => Unseal<string>(stored);
}
