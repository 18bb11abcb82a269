using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Notifications;

/// <summary>The fleet (an all-in-one host and three sshd targets) with fast notification retries, and a plain smtp4dev.</summary>
public sealed class NotificationFleetFixture : FleetFixture
{
    Smtp4devServer? _smtp;

    public Smtp4devServer Smtp => _smtp ?? throw new InvalidOperationException("smtp4dev not started");

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["OpsConductor__PublicUrl"] = "https://ops.example.test",
    }.Concat(NotificationSettings.Fast).ToDictionary();

    public override async Task InitializeAsync()
    {
        _smtp = await Smtp4devServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }
}
