namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// Values of the <c>Category</c> trait that test.sh filters on. <see cref="ProviderIndependent"/> marks a class
/// whose behaviour cannot depend on the database provider (protocols, shells, TLS, pure rules): test.sh runs it in the
/// SQLite pass only. <see cref="Topology"/> needs scripts/topology.sh's processes and runs in its own pass.
/// </summary>
public static class TestCategories
{
    public const string ProviderIndependent = "ProviderIndependent";
    public const string Topology = "Topology";
}
