using System.Net;
using System.Security.Cryptography.X509Certificates;
using OpsConductor.Tests.Deployment;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Acceptance;

/// <summary>
/// Where the acceptance tests run: through an nginx gateway built from the shipped template, either in front of an
/// all-in-one host that the fixture starts (the default) or in front of the eight-service topology of
/// scripts/topology.sh (test.sh sets <c>OPSC_ACCEPTANCE_URL</c>, <c>OPSC_ACCEPTANCE_CERT</c>,
/// <c>OPSC_ACCEPTANCE_ADMIN_PASSWORD</c> and <c>OPSC_ACCEPTANCE_PROCESSES</c>). Either way three real sshd targets.
/// </summary>
public sealed class AcceptanceFixture : IAsyncLifetime
{
    GatewayFixture? _local;
    readonly List<SshServer> _servers = [];

    public static bool OnTopology => Environment.GetEnvironmentVariable("OPSC_ACCEPTANCE_URL") is { Length: > 0 };

    public Uri BaseAddress { get; private set; } = null!;
    public X509Certificate2 Certificate { get; private set; } = null!;
    public string AdminPassword { get; private set; } = HostProcess.AdminPassword;
    public string Tag { get; } = "acceptance-" + Guid.NewGuid().ToString("N")[..6];
    public List<long> TargetIds { get; } = [];
    public IReadOnlyList<SshServer> Servers => _servers;

    /// <summary>Every process behind the gateway: name and its own address (the all-in-one host is one).</summary>
    public IReadOnlyList<(string Name, Uri Address)> Processes { get; private set; } = [];

    /// <summary>The process that serves the credentials service, reached directly (not through the gateway).</summary>
    public Uri CredentialsService { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (OnTopology)
        {
            BaseAddress = new Uri(Environment.GetEnvironmentVariable("OPSC_ACCEPTANCE_URL")!);
            Certificate = GatewayClient.LoadPem(Environment.GetEnvironmentVariable("OPSC_ACCEPTANCE_CERT")!);
            AdminPassword = Environment.GetEnvironmentVariable("OPSC_ACCEPTANCE_ADMIN_PASSWORD")!;
            // "name=url,name=url"
            Processes = Environment.GetEnvironmentVariable("OPSC_ACCEPTANCE_PROCESSES")!.Split(',')
                .Select(p => p.Split('=', 2)).Select(p => (p[0], new Uri(p[1]))).ToList();
            CredentialsService = Processes.Single(p => p.Name == "credentials").Address;
        }
        else
        {
            _local = new GatewayFixture();
            await _local.InitializeAsync();
            BaseAddress = new Uri($"https://localhost:{_local.HttpsPort}");
            Certificate = _local.Certificate!;
            Processes = [("all-in-one", _local.Host.BaseAddress)];
            CredentialsService = _local.Host.BaseAddress;
        }
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await SshServer.StartAsync());
        }
        using var admin = await AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        foreach (var server in _servers)
        {
            TargetIds.Add(await Inventory.SshTargetAsync(admin, credential, server.Port, tags: [Tag], hostKeyFingerprint: server.HostKeyFingerprint));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }

    /// <summary>The HTTPS port of the gateway (for TLS probes).</summary>
    public int HttpsPort => BaseAddress.Port;

    public ApiClient Gateway(string? from = null) => GatewayClient.Create(BaseAddress, Certificate, from);

    public async Task<ApiClient> AdminAsync()
    {
        var client = Gateway();
        await client.LoginAsync("admin", AdminPassword);
        return client;
    }

    /// <summary>A new user with the role, signed in through the gateway.</summary>
    public async Task<ApiClient> UserAsync(string role)
    {
        using var admin = await AdminAsync();
        var username = Inventory.UniqueName(role);
        var password = $"Pw-{Guid.NewGuid():N}";
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/users",
            new { username, email = $"{username}@example.com", fullName = $"Test {role}", role, password, mustChangePassword = false }));
        var client = Gateway();
        await client.LoginAsync(username, password);
        return client;
    }
}
