namespace OpsConductor.Tests.Acceptance;

/// <summary>
/// The acceptance and scale-out tests share one site and run alone: the kill test must know which executor holds
/// its run, so no other test's runs may be in flight.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AcceptanceCollection : ICollectionFixture<AcceptanceFixture>
{
    public const string Name = "acceptance";
}
