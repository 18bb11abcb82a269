using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Auth;

public sealed class AuthModule : ServiceModule
{
    public const string Service = ServiceNames.Auth;

    public override string Name => Service;

    public override IReadOnlyList<string> Uses => [ServiceNames.Users];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        var config = context.Configuration;
        services.AddServiceDatabase<AuthDb, AuthSqliteDb, AuthPostgresDb>(Service, context.Settings);
        var keyPath = config["OpsConductor:Auth:SigningKeyPath"] is { Length: > 0 } p
            ? p
            : Path.Combine(context.Settings.DataDirectory, "keys", "jwt-signing-key.pem");
        var key = SigningKey.LoadOrCreate(keyPath);
        services.AddSingleton(key);
        services.AddSingleton<ISigningKeySource>(key);
        services.AddSingleton(SessionOptions.From(config));
        services.AddSingleton(LoginThrottleOptions.From(config));
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<ServiceTokenThrottle>();
        services.AddSingleton(new ServiceSecretSetting(ServiceSecret.Read(config)));
        services.AddSingleton(sp => RefreshCookie.From(config, sp.GetRequiredService<SessionOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<Sessions>();
        services.AddSingleton(TimeProvider.System);
        if (context.Served)
        {
            services.AddHostedService<RefreshTokenPurge>();
        }
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapAuthApi();
}
