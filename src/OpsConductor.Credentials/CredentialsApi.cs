using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Credentials;

/// <summary>The credentials endpoints: bind, authorize, ask <see cref="CredentialStore"/>, answer its outcome over HTTP.</summary>
public static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder api)
    {
        var credentials = api.MapGroup("/credentials").WithTags("Credentials");
        var read = credentials.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = credentials.MapGroup("").RequireAuthorization(Policies.Operator);
        var services = credentials.MapGroup("/internal").RequireAuthorization(Policies.Service).ExcludeFromDescription();

        read.MapGet("", List).WithName("ListCredentials").WithSummary("Search and page credentials (metadata only).");
        read.MapGet("/{id:long}", Get).WithName("GetCredential").WithSummary("A credential's metadata; never its secret.");
        write.MapPost("", Create).WithName("CreateCredential").WithSummary("Create a credential; the secret is encrypted and write-only.");
        write.MapPut("/{id:long}", Update).WithName("UpdateCredential")
            .WithSummary("Change metadata; a secret in the body becomes a new version.");
        write.MapDelete("/{id:long}", Delete).WithName("DeleteCredential").WithSummary("Delete a credential no target uses (409 otherwise).");
        write.MapPost("/{id:long}/rotate", Rotate).WithName("RotateCredentialSecret")
            .WithSummary("Store a new secret version; older versions stay encrypted and unreadable.");
        write.MapGet("/{id:long}/access-log", AccessLog).WithName("GetCredentialAccessLog")
            .WithSummary("Every read of this credential's secret: service, purpose, run, actor, time (operator).");
        services.MapPost("/{id:long}/secret", ReadForService).WithName("ReadCredentialSecretForService");
        services.MapGet("/{id:long}", FindForService).WithName("FindCredentialForService");
        services.MapPost("/seal", SealForService).WithName("SealSecretForService");
        services.MapPost("/unseal", UnsealForService).WithName("UnsealSecretForService");
    }

    /// <summary>Split mode: another service's small secret sealed with the master key; a service seals only for purposes under its own name.</summary>
    static async Task<Results<Ok<SealedSecretDto>, ProblemHttpResult>> SealForService(SealRequest request, ClaimsPrincipal caller, ISecretSealer sealer,
        CancellationToken ct) =>
        OwnPurpose(caller, request.Purpose) is { } refused
            ? refused
            : TypedResults.Ok(new SealedSecretDto(await sealer.SealAsync(request.Purpose!, request.Secret ?? "", ct)));

    static async Task<Results<Ok<UnsealedSecretDto>, ProblemHttpResult>> UnsealForService(UnsealRequest request, ClaimsPrincipal caller,
        ISecretSealer sealer, CancellationToken ct)
    {
        if (OwnPurpose(caller, request.Purpose) is { } refused)
        {
            return refused;
        }
        try
        {
            return TypedResults.Ok(new UnsealedSecretDto(await sealer.UnsealAsync(request.Purpose!, request.Sealed ?? "", ct)));
        }
        catch (SecretDecryptionException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    static ProblemHttpResult? OwnPurpose(ClaimsPrincipal caller, string? purpose)
    {
        var service = caller.Username() is { Length: > 0 } name ? name : caller.FindFirstValue(ClaimNames.Subject) ?? "";
        return service.Length > 0 && purpose is { } p && p.StartsWith(service + "/", StringComparison.Ordinal)
            ? null
            : Problems.Forbidden("A service seals and unseals only secrets of its own purposes (<service>/...).");
    }

    static async Task<Results<Ok<PagedList<CredentialDto>>, ValidationProblem>> List(
        CredentialStore store, string? search, string? type, [AsParameters] PageRequest paging, CancellationToken ct) =>
        await store.ListAsync(search, type, paging, ct) switch
        {
            Outcome<PagedList<CredentialDto>>.Success page => TypedResults.Ok(page.Value),
            Outcome<PagedList<CredentialDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing credentials does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<CredentialDto>, ProblemHttpResult>> Get(long id, CredentialStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } credential ? TypedResults.Ok(credential) : Problems.NotFound($"Credential {id}");

    static async Task<Results<Created<CredentialDto>, ValidationProblem, ProblemHttpResult>> Create(
        CredentialRequest request, CredentialStore store, CancellationToken ct) =>
        await store.CreateAsync(request, ct) switch
        {
            Outcome<CredentialDto>.Success created => TypedResults.Created($"/api/v1/credentials/{created.Value.Id}", created.Value),
            Outcome<CredentialDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<CredentialDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CredentialRequest request, CredentialStore store, CancellationToken ct) =>
        Answer(await store.UpdateAsync(id, request, ct));

    static async Task<Results<Ok<CredentialDto>, ValidationProblem, ProblemHttpResult>> Rotate(
        long id, RotateSecretRequest request, CredentialStore store, CancellationToken ct) =>
        Answer(await store.RotateAsync(id, request.Secret, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, CredentialStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<PagedList<SecretAccessDto>>, ValidationProblem, ProblemHttpResult>> AccessLog(
        long id, CredentialStore store, [AsParameters] PageRequest paging, CancellationToken ct) =>
        Answer(await store.AccessLogAsync(id, paging, ct));

    /// <summary>Split mode: another service's identity (never a user token) reads a secret; recorded like any read.</summary>
    static async Task<Results<Ok<CredentialSecret>, ValidationProblem, ProblemHttpResult>> ReadForService(
        long id, InternalSecretRequest request, ClaimsPrincipal caller, CredentialStore store, CancellationToken ct)
    {
        var service = caller.Username() is { Length: > 0 } name ? name : caller.FindFirstValue(ClaimNames.Subject) ?? "unknown";
        return Answer(await store.ReadForServiceAsync(id, service, request, ct));
    }

    /// <summary>Split mode: a credential reference checked by another service (targets); metadata only.</summary>
    static async Task<Results<Ok<CredentialInfo>, ProblemHttpResult>> FindForService(long id, ICredentialDirectory directory, CancellationToken ct) =>
        await directory.FindAsync(id, ct) is { } info ? TypedResults.Ok(info) : Problems.NotFound($"Credential {id}");

    static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(Outcome<T> outcome) => outcome.ToOk("Credential");

    static ProblemHttpResult Problem<T>(Outcome<T> refused) => refused.ToProblem("Credential");
}
