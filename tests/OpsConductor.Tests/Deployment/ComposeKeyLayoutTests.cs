using OpsConductor.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace OpsConductor.Tests.Deployment;

/// <summary>
/// deploy/docker-compose.yml gives each key to the services that use it and to no other (docs/security.md, "Key
/// material per service") and runs every service (two executors, two schedulers): no engine runs here, so the file itself is read, with its YAML merge keys applied.
/// </summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class ComposeKeyLayoutTests
{
    static readonly IReadOnlyDictionary<string, YamlMappingNode> Services = ReadServices();

    /// <summary>The image's data directory (deploy/Dockerfile ENV OpsConductor__DataDirectory).</summary>
    static readonly string DataDirectory = File.ReadAllText(RepositoryPaths.Combine("deploy", "Dockerfile"))
        .Split(['\n', ' ', '\\'], StringSplitOptions.RemoveEmptyEntries)
        .Single(p => p.StartsWith("OpsConductor__DataDirectory=", StringComparison.Ordinal))
        .Split('=')[1];

    [Fact]
    public void Each_key_volume_is_mounted_only_by_the_services_that_use_it_where_the_host_reads_it()
    {
        Assert.Equal("/var/lib/opsconductor", DataDirectory);
        Assert.Equal(MountsOf("opsc-auth-keys"), [("auth", DataDirectory)]);
        Assert.Equal(MountsOf("opsc-credentials-keys"), [("credentials", DataDirectory)]);
        // Jobs and the schedulers seal secret run parameters with the ring, every executor unseals them: all must see
        // the same ring at the path OpsConductorHost persists it to ({DataDirectory}/keys/data-protection).
        var ring = $"{DataDirectory}/keys/data-protection";
        Assert.Equal(MountsOf("opsc-data-protection"),
            [("executor-1", ring), ("executor-2", ring), ("jobs", ring), ("scheduler-1", ring), ("scheduler-2", ring)]);
        foreach (var name in new[] { "users", "targets", "notifications", "gateway" })
        {
            Assert.DoesNotContain(Volumes(name), v => v.Source.StartsWith("opsc-", StringComparison.Ordinal) && v.Source != "opsc-ui");
        }
    }

    [Fact]
    public void The_service_secret_reaches_auth_and_the_services_that_exchange_it_only()
    {
        var holders = Services.Where(s => Environment(s.Value).ContainsKey("OpsConductor__Auth__ServiceSecret")).Select(s => s.Key).Order();
        Assert.Equal(["auth", "executor-1", "executor-2", "notifications", "targets"], holders);
        // Nothing but the credentials service may be handed the master key another way.
        Assert.DoesNotContain(Services, s => Environment(s.Value).Keys.Any(k => k.StartsWith("OpsConductor__Credentials__MasterKey", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_service_has_a_container_and_executors_and_schedulers_have_two()
    {
        var served = Services
            .Select(s => s.Value.Children.TryGetValue("command", out var c) && c is YamlSequenceNode command
                ? command.Children.Select(a => ((YamlScalarNode)a).Value).ToList()
                : [])
            .Where(args => args.Contains("--services"))
            .GroupBy(args => args[args.IndexOf("--services") + 1]!)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["auth", "credentials", "executor", "jobs", "notifications", "scheduler", "targets", "users"], served.Keys.Order());
        Assert.Equal(2, served["executor"]);
        Assert.Equal(2, served["scheduler"]);
    }

    static List<(string Service, string Target)> MountsOf(string volume) =>
        [.. Services.Keys.SelectMany(s => Volumes(s).Where(v => v.Source == volume).Select(v => (s, v.Target))).Order()];

    static IEnumerable<(string Source, string Target)> Volumes(string service) =>
        Services[service].Children.TryGetValue("volumes", out var node) && node is YamlSequenceNode list
            ? list.Children.Select(v => ((YamlScalarNode)v).Value!.Split(':')).Select(p => (p[0], p[1]))
            : [];

    static Dictionary<string, string> Environment(YamlMappingNode service) =>
        service.Children.TryGetValue("environment", out var node) && node is YamlMappingNode env
            ? env.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (e.Value as YamlScalarNode)?.Value ?? "")
            : [];

    static Dictionary<string, YamlMappingNode> ReadServices()
    {
        using var reader = new StreamReader(RepositoryPaths.Combine("deploy", "docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children["services"];
        return services.Children.ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => Merged((YamlMappingNode)s.Value));
    }

    /// <summary>A mapping with its <c>&lt;&lt;: *anchor</c> entries applied (the mapping's own keys win), nested ones too.</summary>
    static YamlMappingNode Merged(YamlMappingNode node)
    {
        var merged = new YamlMappingNode();
        if (node.Children.TryGetValue("<<", out var baseNode))
        {
            foreach (var (key, value) in Merged((YamlMappingNode)baseNode).Children)
            {
                merged.Children[key] = value;
            }
        }
        foreach (var (key, value) in node.Children.Where(e => ((YamlScalarNode)e.Key).Value != "<<"))
        {
            merged.Children[key] = value is YamlMappingNode m ? Merged(m) : value;
        }
        return merged;
    }
}
