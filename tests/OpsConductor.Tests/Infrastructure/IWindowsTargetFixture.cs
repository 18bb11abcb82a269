namespace OpsConductor.Tests.Infrastructure;

/// <summary>A host with one Windows target, whatever its connection (for tests that run on both protocols).</summary>
public interface IWindowsTargetFixture
{
    long TargetId { get; }

    HostProcess Host { get; }

    /// <summary>The password of the target's credential (which output must never show).</summary>
    string CredentialPassword { get; }

    Task<ApiClient> AdminAsync();
}
