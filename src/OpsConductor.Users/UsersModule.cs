using System.Security.Cryptography;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Hosting;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public sealed class UsersModule : ServiceModule
{
    public const string Service = ServiceNames.Users;

    public override string Name => Service;

    public override void AddServices(IServiceCollection services, ModuleContext context)
    {
        services.AddServiceDatabase<UsersDb, UsersSqliteDb, UsersPostgresDb>(Service, context.Settings);
        var options = UsersOptions.From(context.Configuration);
        services.AddSingleton(options);
        services.AddSingleton(new Passwords(options.BcryptWorkFactor));
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<UserAccounts>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder api) => api.MapUsersApi();

    /// <summary>First start: create <c>admin</c> with the configured password, or a generated one printed once.</summary>
    public override async Task InitializeAsync(IServiceProvider services, ModuleContext context, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDb>();
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        var configured = services.GetRequiredService<UsersOptions>().AdminPassword;
        var password = configured ?? RandomNumberGenerator.GetString(
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        db.Users.Add(new User
        {
            Username = "admin",
            NormalizedUsername = "admin",
            FullName = "Administrator",
            Role = Role.Admin,
            PasswordHash = scope.ServiceProvider.GetRequiredService<Passwords>().Hash(password),
            CreatedAt = now,
            UpdatedAt = now,
            PasswordChangedAt = now,
            // A generated password was shown on a console: its reader must replace it. One the operator configured stays.
            MustChangePassword = configured is null,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueName.IsViolation(ex))
        {
            return; // another process of a split deployment created it first
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<UsersModule>();
        if (configured is not null)
        {
            logger.LogInformation("Created the admin account with the password from OpsConductor:Bootstrap:AdminPassword");
        }
        else
        {
            // Printed to the console only, never to the log pipeline; shown once, change it after signing in.
            Console.WriteLine();
            Console.WriteLine("==================================================================");
            Console.WriteLine(" OpsConductor created the account 'admin' with this password:");
            Console.WriteLine($"   {password}");
            Console.WriteLine(" It is shown only this once. You choose a new one at first sign-in.");
            Console.WriteLine("==================================================================");
            Console.WriteLine();
        }
    }
}
