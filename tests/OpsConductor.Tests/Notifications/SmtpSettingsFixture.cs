using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Notifications;

/// <summary>A host whose SMTP conversations give up after 5 s, so the TLS-mismatch check ends without waiting the default 30 s.</summary>
public sealed class SmtpSettingsFixture : HostFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OpsConductor__Notifications__SmtpTimeoutSeconds"] = "5",
    };
}
