using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpsConductor.Shared.Contracts;

namespace OpsConductor.Shared.Security;

/// <summary>Every service verifies access tokens locally with the auth service's public keys.</summary>
public static class AuthDefaults
{
    public static IServiceCollection AddTokenVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenSettings.Issuer,
                ValidAudience = TokenSettings.Audience,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                NameClaimType = ClaimNames.Name,
                RoleClaimType = ClaimNames.Role,
                // Hosts of one installation keep their clocks in sync (NTP); a long skew would stretch every token's life.
                ClockSkew = TimeSpan.FromSeconds(10),
            };
            o.Events = new JwtBearerEvents { OnTokenValidated = RefuseStaleUserTokensAsync };
        });
        services.TryAddSingleton(TimeProvider.System);
        var userCheck = UserTokenCheckOptions.From(configuration);
        services.TryAddSingleton(userCheck);
        services.TryAddSingleton(sp => new UserTokenCheck(sp.GetRequiredService<TimeProvider>(), userCheck.CacheFor));
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ISigningKeySource>((o, keys) =>
            {
                if (keys.FixedKeys is { } fixedKeys)
                {
                    o.TokenValidationParameters.IssuerSigningKeys = fixedKeys;
                }
                else
                {
                    o.ConfigurationManager = new KeySourceConfiguration(keys);
                }
            });

        services.AddSingleton<IAuthorizationHandler, SelfOrAdminHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireClaim(ClaimNames.Role, Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Operator, p => p.RequireClaim(ClaimNames.Role, Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireClaim(ClaimNames.Role, Roles.Admin))
            .AddPolicy(Policies.SelfOrAdmin, p => p.RequireClaim(ClaimNames.Role).AddRequirements(new SelfOrAdminRequirement()))
            .AddPolicy(Policies.Service, p => p.RequireClaim(ClaimNames.TokenKind, "service"))
            // Secure by default: an endpoint that declares nothing still needs a signed-in user.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireClaim(ClaimNames.Role).Build());
        return services;
    }

    /// <summary>A signature is not enough: the account must still exist, be enabled and not have changed its password or role since.</summary>
    static async Task RefuseStaleUserTokensAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        // The host loads the users service in every process (as a library where it is not served), so this is always there.
        var users = services.GetService<IUserDirectory>();
        var refusal = users is null
            ? "This process cannot check accounts (no users directory)."
            : await services.GetRequiredService<UserTokenCheck>().RefusalAsync(context.Principal!, users, context.HttpContext.RequestAborted);
        if (refusal is not null)
        {
            context.Fail(refusal);
        }
    }

    /// <summary>Service tokens for calls to other services' internal endpoints (split mode).</summary>
    public static IServiceCollection AddServiceTokens(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, string service)
    {
        var secret = ServiceSecret.Read(configuration)
            ?? throw new InvalidOperationException($"Calling another service over HTTP needs {ServiceSecret.Key} (the same value in every process).");
        var authUrl = new Uri(configuration["OpsConductor:Auth:Url"] is { Length: > 0 } url ? url : "http://localhost:3001");
        services.TryAddSingleton(sp => new ServiceTokens(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ServiceTokens)), authUrl, service, secret,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    sealed class KeySourceConfiguration(ISigningKeySource keys) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        (IReadOnlyList<SecurityKey> Keys, OpenIdConnectConfiguration Configuration)? _current;

        // Called on every request: rebuild only when the key set changed.
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            var keySet = await keys.GetKeysAsync(cancel);
            if (_current is { } current && ReferenceEquals(current.Keys, keySet))
            {
                return current.Configuration;
            }
            var configuration = new OpenIdConnectConfiguration { Issuer = TokenSettings.Issuer };
            foreach (var key in keySet)
            {
                configuration.SigningKeys.Add(key);
            }
            _current = (keySet, configuration);
            return configuration;
        }

        public void RequestRefresh() => keys.RequestRefresh();
    }
}

public sealed class SelfOrAdminRequirement : IAuthorizationRequirement;

sealed class SelfOrAdminHandler : AuthorizationHandler<SelfOrAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SelfOrAdminRequirement requirement)
    {
        if (context.User.IsAdmin())
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http
                 && http.Request.RouteValues.TryGetValue("id", out var id)
                 && long.TryParse(id?.ToString(), out var userId)
                 && userId == context.User.UserId())
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
