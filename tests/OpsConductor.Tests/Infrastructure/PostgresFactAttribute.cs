using Xunit.Sdk;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// A test of PostgreSQL-only behaviour (cross-process notifications): discovered only when OPSC_TEST_DATABASE=postgres.
/// On SQLite it is not skipped but absent (the SQLite run neither runs nor counts it; the PostgreSQL run counts it as
/// passed or failed), because SQLite has no such behaviour to test.
/// </summary>
[XunitTestCaseDiscoverer("OpsConductor.Tests.Infrastructure.PostgresFactDiscoverer", "OpsConductor.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute;
