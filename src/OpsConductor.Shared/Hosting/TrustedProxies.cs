using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using IPNetwork = System.Net.IPNetwork;

namespace OpsConductor.Shared.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> this process believes, from
/// <c>OpsConductor:ForwardedHeaders:KnownProxies</c>: addresses or CIDR networks, comma-separated, or <c>none</c>.
/// Without the setting only a proxy on this machine (loopback) is trusted. Only one hop is read: the address the
/// trusted proxy saw, never what a client wrote into the header.
/// </summary>
public sealed class TrustedProxies
{
    public const string Setting = "OpsConductor:ForwardedHeaders:KnownProxies";

    /// <summary>ASP.NET's switch that trusts every proxy; refused so that one middleware with known proxies does the job.</summary>
    public const string AspNetSwitch = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public required IReadOnlyList<IPNetwork> Networks { get; init; }

    public static TrustedProxies From(IConfiguration configuration)
    {
        // The web host reads ASPNETCORE_-prefixed variables without the prefix.
        if (IsOn(configuration["FORWARDEDHEADERS_ENABLED"]) || IsOn(configuration[AspNetSwitch]))
        {
            throw new InvalidOperationException(
                $"{AspNetSwitch}=true makes ASP.NET trust X-Forwarded-For from any client. Remove it and list the gateway in {Setting} " +
                "(addresses or CIDR networks; loopback by default).");
        }
        var section = configuration.GetSection(Setting);
        var entries = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (entries.Count == 0 && section.Value is { } text)
        {
            entries = [.. text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        if (section.Value is null && entries.Count == 0)
        {
            return new TrustedProxies { Networks = Loopback };
        }
        if (entries is ["none"])
        {
            return new TrustedProxies { Networks = [] };
        }
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException($"{Setting}: '{entry}' is neither an IP address nor a CIDR network (e.g. 172.28.0.10 or 10.0.0.0/8).");
            }
        }
        return new TrustedProxies { Networks = networks };
    }

    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in Networks)
        {
            options.KnownIPNetworks.Add(network);
        }
    }

    static bool IsOn(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
