using System.Net;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Hosting;

/// <summary>
/// Split mode on one PostgreSQL database: the API process (everything but the executor) and the executor process,
/// one real sshd target, and safety-net polls of 30 s, so anything quicker than that was woken by a notification.
/// </summary>
public sealed class CrossProcessWakeupFixture : IAsyncLifetime
{
    public const string Listening = "Listening for cross-process wake-ups";
    public const string ListeningAgain = "again after a lost connection";

    SshServer? _sshd;
    HostProcess? _api;
    HostProcess? _executor;

    public HostProcess Api => _api ?? throw new InvalidOperationException("not started");
    public HostProcess Executor => _executor ?? throw new InvalidOperationException("not started");
    public string ConnectionString { get; private set; } = "";
    public long TargetId { get; private set; }

    public async Task InitializeAsync()
    {
        _sshd = await SshServer.StartAsync();
        var database = await TestDatabase.NewAsync();
        ConnectionString = database["ConnectionStrings__OpsConductor"];
        database["OpsConductor__Jobs__Wakeups__ReaderPollSeconds"] = "30";
        database["OpsConductor__Executor__PollSeconds"] = "30";
        var shared = Directory.CreateTempSubdirectory("opsc-wakeup-").FullName;
        _api = await HostProcess.StartAsync(database, services: "auth,users,credentials,targets,jobs", dataDirectory: shared);
        var executorSettings = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(_api.BaseAddress, "/api/v1/auth/jwks").ToString(),
        };
        _executor = await HostProcess.StartAsync(executorSettings, services: "executor", dataDirectory: shared);
        await _api.OutputContainingAsync(Listening);
        await _executor.OutputContainingAsync(Listening);
        await _executor.OutputContainingAsync("runs at once"); // its start-up claim happens now, long before the first test queues a run

        using var admin = await AdminAsync();
        var credential = await Inventory.PasswordCredentialAsync(admin);
        TargetId = await Inventory.SshTargetAsync(admin, credential, _sshd.Port, hostKeyFingerprint: _sshd.HostKeyFingerprint);
    }

    public async Task<ApiClient> AdminAsync()
    {
        var client = Api.Client();
        await client.LoginAsync("admin", HostProcess.AdminPassword);
        return client;
    }

    public async Task<long> JobAsync(ApiClient client, string script)
    {
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("wakeup"),
            steps = new[] { new { name = "cmd", type = "command", script } },
            targets = new { targetIds = new[] { TargetId } },
        }));
        return job.GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        if (_executor is not null)
        {
            await _executor.DisposeAsync();
        }
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }
    }
}
