namespace OpsConductor.Tests.Infrastructure;

/// <summary>
/// The start of a split deployment: the auth and credentials services in their own processes on one database
/// (sharing one data directory, the key holders' side), and the settings another service's process needs to use them.
/// </summary>
public sealed class SplitServices : IAsyncDisposable
{
    SplitServices(string root, Dictionary<string, string> withAuth, HostProcess auth, HostProcess credentials)
    {
        Root = root;
        WithAuth = withAuth;
        Auth = auth;
        Credentials = credentials;
    }

    public string Root { get; }

    /// <summary>The database and where to verify tokens (the auth service's keys).</summary>
    public Dictionary<string, string> WithAuth { get; }

    public HostProcess Auth { get; }
    public HostProcess Credentials { get; }

    /// <summary><see cref="WithAuth"/> plus the credentials service over HTTP, for a process that must not hold the master key.</summary>
    public Dictionary<string, string> WithRemoteCredentials =>
        new(WithAuth) { ["OpsConductor__Remote__Credentials"] = Credentials.BaseAddress.ToString() };

    public static async Task<SplitServices> StartAsync(string prefix)
    {
        var database = await TestDatabase.NewAsync();
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        var shared = Path.Combine(root, "shared");
        Directory.CreateDirectory(shared);
        if (!TestDatabase.IsPostgres)
        {
            database["ConnectionStrings__OpsConductor"] = $"Data Source={Path.Combine(shared, "opsconductor.db")}";
        }
        database["OpsConductor__Auth__ServiceSecret"] = "split-test-service-secret-0123456789";

        var auth = await HostProcess.StartAsync(database, services: "auth", dataDirectory: shared);
        var withAuth = new Dictionary<string, string>(database)
        {
            ["OpsConductor__Auth__JwksUrl"] = new Uri(auth.BaseAddress, "/api/v1/auth/jwks").ToString(),
            ["OpsConductor__Auth__Url"] = auth.BaseAddress.ToString(),
        };
        var credentials = await HostProcess.StartAsync(withAuth, services: "credentials", dataDirectory: shared);
        return new SplitServices(root, withAuth, auth, credentials);
    }

    public async ValueTask DisposeAsync()
    {
        await Credentials.DisposeAsync();
        await Auth.DisposeAsync();
    }
}
