using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Credentials;

public sealed class CredentialsModule : ServiceModule
{
    public const string Service = ServiceNames.Credentials;

    public override string Name => Service;

    /// <summary>
    /// Targets: its <see cref="ICredentialUsage"/> (read from the shared database) is what refuses deleting a credential
    /// still in use, so a process serving credentials alone must load it too.
    /// </summary>
    public override IReadOnlyList<string> Uses => [ServiceNames.Targets];

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<CredentialsDb, CredentialsSqliteDb, CredentialsPostgresDb>(Service, context.Settings);
        services.AddSingleton(new MasterKeyRing(MasterKeySettings.From(context.Configuration, context.Settings.DataDirectory)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<CredentialSecrets>();
        services.AddScoped<CredentialStore>();
        services.AddScoped<ICredentialVault, CredentialVault>();
        services.AddScoped<ICredentialDirectory, CredentialDirectory>();
        services.AddSingleton<ISecretSealer, MasterKeySealer>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapCredentialsApi();

    /// <summary>Split mode: the vault and the directory over the internal endpoints, so this process never holds the master key.</summary>
    public override bool AddRemoteContracts(IServiceCollection services, Uri baseUrl, ModuleContext context)
    {
        services.AddServiceTokens(context.Configuration, context.ServedServices.FirstOrDefault() ?? Service);
        services.AddSingleton(sp => new InternalCredentialsClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InternalCredentialsClient)), baseUrl, sp.GetRequiredService<ServiceTokens>()));
        services.AddSingleton<ICredentialVault, HttpCredentialVault>();
        services.AddSingleton<ICredentialDirectory, HttpCredentialDirectory>();
        services.AddSingleton<ISecretSealer, HttpSecretSealer>();
        return true;
    }

    /// <summary>Loads the master key; refuses to start when the stored secrets need a key this process does not have.</summary>
    public override async Task InitializeAsync(IServiceProvider services, ModuleContext context, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<CredentialsModule>();
        await services.GetRequiredService<MasterKeyRing>().LoadAsync(
            scope.ServiceProvider.GetRequiredService<CredentialsDb>(), message => logger.LogWarning("{Message}", message), cancellationToken);
    }
}
