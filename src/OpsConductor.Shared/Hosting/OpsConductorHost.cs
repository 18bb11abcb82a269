using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;
using Scalar.AspNetCore;

namespace OpsConductor.Shared.Hosting;

/// <summary>
/// The one executable: serves all services (the default) or the subset named by
/// <c>--services</c> / <c>OpsConductor:Services</c>, like Loki's <c>-target</c>.
/// </summary>
public static class OpsConductorHost
{
    /// <summary>Split-mode ports from the API contract; used when no URL is configured.</summary>
    public static readonly IReadOnlyDictionary<string, int> DefaultPorts = new Dictionary<string, int>
    {
        [ServiceNames.Auth] = 3001,
        [ServiceNames.Users] = 3002,
        [ServiceNames.Credentials] = 3004,
        [ServiceNames.Targets] = 3005,
        [ServiceNames.Jobs] = 3006,
        [ServiceNames.Executor] = 3007,
        [ServiceNames.Scheduler] = 3008,
        [ServiceNames.Notifications] = 3009,
    };

    public const int AllInOnePort = 5080;

    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyList<ServiceModule> catalog, CancellationToken cancellationToken = default)
    {
        // appsettings.json ships beside the binary, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--services"] = "OpsConductor:Services",
            ["--data"] = "OpsConductor:DataDirectory",
        });

        var settings = OpsConductorSettings.From(builder.Configuration, catalog.Select(m => m.Name).ToList());
        SecretFiles.CreateOwnerOnlyDirectory(settings.DataDirectory);
        var served = settings.Services.ToHashSet();
        var remote = catalog.Where(m => !served.Contains(m.Name) && builder.Configuration[$"OpsConductor:Remote:{m.Name}"] is { Length: > 0 })
            .ToDictionary(m => m.Name, m => new Uri(builder.Configuration[$"OpsConductor:Remote:{m.Name}"]!));
        var loaded = Resolve(catalog, served, remote.Keys.ToHashSet());
        var allInOne = served.Count == catalog.Count;

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            var port = allInOne || served.Count != 1 ? AllInOnePort : DefaultPorts[served.First()];
            builder.WebHost.UseUrls($"http://localhost:{port}");
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = HttpDefaults.MaxRequestBodyBytes;
        });

        var services = builder.Services;
        services.AddSingleton(settings);
        // Every service reads the time from here, so nothing depends on the wall clock directly.
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpDefaults();
        services.AddTokenVerification(builder.Configuration);
        var proxies = TrustedProxies.From(builder.Configuration);
        services.Configure<ForwardedHeadersOptions>(proxies.Apply);
        services.AddHttpClient();
        services.AddSingleton(TopologyProcesses.From(builder.Configuration));
        // Data Protection would create its key directory (and keys/) world-readable.
        var dataProtectionKeys = Path.Combine(settings.DataDirectory, "keys", "data-protection");
        SecretFiles.CreateOwnerOnlyDirectory(dataProtectionKeys);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(dataProtectionKeys));

        foreach (var (name, url) in remote)
        {
            var module = catalog.First(m => m.Name == name);
            if (!module.AddRemoteContracts(services, url, new ModuleContext(builder.Configuration, settings, false, served)))
            {
                throw new InvalidOperationException($"The {name} service cannot be reached over HTTP yet: remove OpsConductor:Remote:{name}.");
            }
        }

        var contexts = new List<(ServiceModule Module, ModuleContext Context)>();
        foreach (var module in loaded)
        {
            var context = new ModuleContext(builder.Configuration, settings, served.Contains(module.Name), served);
            module.AddServices(services, context);
            contexts.Add((module, context));
        }

        // Without the auth service in this process, verify tokens with its published keys.
        services.TryAddSingleton<ISigningKeySource>(sp => new RemoteJwksKeySource(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RemoteJwksKeySource)),
            new Uri(builder.Configuration["OpsConductor:Auth:JwksUrl"] is { Length: > 0 } url
                ? url
                : $"http://localhost:{DefaultPorts[ServiceNames.Auth]}/api/v1/auth/jwks"),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RemoteJwksKeySource>>()));

        var app = builder.Build();
        // The only forwarded-headers middleware: ASPNETCORE_FORWARDEDHEADERS_ENABLED is refused above.
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var ui = UiDirectory(builder.Configuration);
        PhysicalFileProvider? uiFiles = ui is null ? null : new PhysicalFileProvider(ui);
        if (uiFiles is not null)
        {
            // API requests never touch the file system.
            app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), ui =>
            {
                ui.UseDefaultFiles(new DefaultFilesOptions { FileProvider = uiFiles });
                ui.UseStaticFiles(new StaticFileOptions { FileProvider = uiFiles });
                // A file the UI does not have (no endpoint either) is a 404, not the authorization fallback's 401.
                ui.Use((context, next) =>
                {
                    if (context.GetEndpoint() is null && Path.HasExtension(context.Request.Path.Value))
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }
                    return next(context);
                });
            });
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePasswordChangeGate();

        app.MapHealth(settings.Services, allInOne);
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api-docs", o => o.WithTitle("OpsConductor API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();

        var api = app.MapGroup("/api/v1");
        api.MapProcesses(settings.Services, allInOne);
        foreach (var (module, context) in contexts.Where(c => c.Context.Served))
        {
            module.MapEndpoints(api);
        }
        if (uiFiles is not null)
        {
            // Client-side routes get the UI's index page; unknown API paths stay a problem-details 404.
            app.MapFallbackToFile("{*path:regex(^(?!api/|openapi/|health).*$):nonfile}", "index.html", new StaticFileOptions { FileProvider = uiFiles })
                .AllowAnonymous();
            // Browsers ask for /favicon.ico before anyone signs in: it is the UI's icon, not a 401.
            app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).AllowAnonymous().ExcludeFromDescription();
        }

        await ServiceDatabase.MigrateAllAsync(app.Services, settings, cancellationToken);
        foreach (var (module, context) in contexts)
        {
            await module.InitializeAsync(app.Services, context, cancellationToken);
        }
        // Start-up (migrations, EF models, key loading) leaves garbage behind; give it back before idling.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        app.Logger.LogInformation("OpsConductor {Version} serving {Services} with {Provider} storage; data in {DataDirectory}",
            HealthEndpoint.Version, string.Join(",", settings.Services), settings.DatabaseProvider, settings.DataDirectory);
        return app;
    }

    public static async Task RunAsync(string[] args, IReadOnlyList<ServiceModule> catalog)
    {
        var app = await BuildAsync(args, catalog);
        await app.RunAsync();
    }

    /// <summary>
    /// The served modules, the users module, and, transitively, the modules whose contracts they use, in catalog order;
    /// a module reached over HTTP (<paramref name="remote"/>) is not loaded.
    /// </summary>
    public static IReadOnlyList<ServiceModule> Resolve(IReadOnlyList<ServiceModule> catalog, IReadOnlySet<string> served, IReadOnlySet<string>? remote = null)
    {
        var byName = catalog.ToDictionary(m => m.Name);
        var needed = new HashSet<string>();
        // Every process checks user tokens against the users directory (UserTokenCheck), so it always loads the users service.
        var pending = new Stack<string>(byName.ContainsKey(ServiceNames.Users) ? served.Append(ServiceNames.Users) : served);
        while (pending.TryPop(out var name))
        {
            if ((served.Contains(name) || remote?.Contains(name) != true) && needed.Add(name))
            {
                foreach (var used in byName[name].Uses)
                {
                    pending.Push(used);
                }
            }
        }
        return catalog.Where(m => needed.Contains(m.Name)).ToList();
    }

    static string? UiDirectory(IConfiguration configuration)
    {
        var candidates = configuration["OpsConductor:UiDirectory"] is { Length: > 0 } configured
            ? [configured]
            : new[] { Path.Combine(AppContext.BaseDirectory, "wwwroot"), Path.Combine(Environment.CurrentDirectory, "ui", "dist") };
        return candidates.Select(Path.GetFullPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "index.html")));
    }
}
