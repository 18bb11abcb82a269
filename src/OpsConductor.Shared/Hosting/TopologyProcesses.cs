using Microsoft.Extensions.Configuration;

namespace OpsConductor.Shared.Hosting;

/// <summary>
/// The processes of a split deployment, from <c>OpsConductor:Topology:Processes</c> (<c>name=url,name=url</c>, for
/// example what <c>scripts/topology.sh urls</c> prints), so that any process can report the health of all of them.
/// Without the setting the list is this process alone.
/// </summary>
public sealed class TopologyProcesses
{
    public const string Setting = "OpsConductor:Topology:Processes";

    public required IReadOnlyList<(string Name, Uri Address)> Processes { get; init; }

    public static TopologyProcesses From(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TopologyProcesses { Processes = [] };
        }
        var processes = new List<(string, Uri)>();
        foreach (var entry in text.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || !Uri.TryCreate(parts[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{Setting}: '{entry}' is not name=http(s)://host:port.");
            }
            processes.Add((parts[0], url));
        }
        if (processes.Select(p => p.Item1).Distinct(StringComparer.OrdinalIgnoreCase).Count() != processes.Count)
        {
            throw new InvalidOperationException($"{Setting}: every process needs its own name.");
        }
        return new TopologyProcesses { Processes = processes };
    }
}
