namespace OpsConductor.Shared.Security;

/// <summary>Endpoint metadata: answered even while the caller must change their password (<see cref="PasswordChangeGate"/>).</summary>
public sealed class AllowBeforePasswordChangeMetadata
{
    public static readonly AllowBeforePasswordChangeMetadata Instance = new();

    AllowBeforePasswordChangeMetadata()
    {
    }
}
