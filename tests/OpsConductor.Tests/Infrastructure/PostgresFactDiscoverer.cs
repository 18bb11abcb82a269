using Xunit.Abstractions;
using Xunit.Sdk;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>Discovers <see cref="PostgresFactAttribute"/> tests only in a PostgreSQL test run.</summary>
public sealed class PostgresFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        TestDatabase.IsPostgres ? base.Discover(discoveryOptions, testMethod, factAttribute) : [];
}
