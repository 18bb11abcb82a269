using System.Net;
using System.Text.Json;

namespace OpsConductor.Tests.Infrastructure;

/// <summary>One all-in-one host shared by the tests of a class, with a fresh database.</summary>
public class HostFixture : IAsyncLifetime
{
    HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("host not started");

    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async Task InitializeAsync()
    {
        var settings = await TestDatabase.NewAsync();
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        _host = await HostProcess.StartAsync(settings);
    }

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public ApiClient Anonymous() => Host.Client();

    public async Task<ApiClient> AdminAsync()
    {
        var client = Host.Client();
        await client.LoginAsync("admin", HostProcess.AdminPassword);
        return client;
    }

    /// <summary>Creates a user with the role through the API and returns a client signed in as them.</summary>
    public async Task<(ApiClient Client, long Id, string Username, string Password)> UserAsync(string role)
    {
        using var admin = await AdminAsync();
        var username = $"{role}-{Guid.NewGuid().ToString("N")[..8]}";
        var password = $"Pw-{Guid.NewGuid():N}";
        var created = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users",
            new { username, email = $"{username}@example.com", fullName = $"Test {role}", role, password, mustChangePassword = false }));
        var client = Host.Client();
        await client.LoginAsync(username, password);
        return (client, created.GetProperty("id").GetInt64(), username, password);
    }
}

public static class JsonExtensions
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
