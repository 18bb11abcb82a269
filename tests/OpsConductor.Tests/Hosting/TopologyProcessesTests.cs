using Microsoft.Extensions.Configuration;
using OpsConductor.Shared.Hosting;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class TopologyProcessesTests
{
    static TopologyProcesses From(string? value) =>
        TopologyProcesses.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TopologyProcesses.Setting] = value }).Build());

    [Fact]
    public void The_list_is_read_in_order_and_an_unset_list_means_this_process_alone()
    {
        var topology = From("auth=http://127.0.0.1:3001, executor-2=http://127.0.0.1:3017");
        Assert.Equal([("auth", new Uri("http://127.0.0.1:3001")), ("executor-2", new Uri("http://127.0.0.1:3017"))], topology.Processes);
        Assert.Empty(From(null).Processes);
    }

    [Theory]
    [InlineData("auth")]
    [InlineData("auth=127.0.0.1:3001")]
    [InlineData("auth=ftp://127.0.0.1")]
    [InlineData("=http://127.0.0.1:3001")]
    [InlineData("auth=http://a:1,Auth=http://b:2")]
    public void A_malformed_list_stops_the_start_with_the_setting_named(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(value));
        Assert.StartsWith(TopologyProcesses.Setting, error.Message);
    }
}
