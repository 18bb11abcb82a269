using Microsoft.Extensions.Configuration;

namespace OpsConductor.Remoting.Ssh;

/// <summary>Client-side SSH preferences shared by the target checks and the executor.</summary>
public sealed record SshOptions
{
    public const string Curve25519 = "curve25519-sha256";
    public const string KeyExchangeSetting = "OpsConductor:Ssh:KeyExchangePreference";

    /// <summary>
    /// Key exchange algorithms offered first, in this order; every other algorithm SSH.NET supports follows in its
    /// default order. curve25519-sha256 leads: fast and universally supported (sntrup761x25519 is to be benchmarked).
    /// </summary>
    public IReadOnlyList<string> PreferredKeyExchange { get; init; } = [Curve25519, "curve25519-sha256@libssh.org"];

    public static SshOptions Default { get; } = new();

    /// <summary>Reads <c>OpsConductor:Ssh:KeyExchangePreference</c>, a comma-separated list of algorithm names.</summary>
    public static SshOptions From(IConfiguration configuration) =>
        configuration[KeyExchangeSetting] is { Length: > 0 } list
            ? new SshOptions { PreferredKeyExchange = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }
            : Default;
}
