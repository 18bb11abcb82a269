using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Credentials;

public static class CredentialsApi
{
    public const int MaxSecretLength = 16 * 1024;

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
    }

    static CredentialDto ToDto(Credential c) => new(c.Id, c.Name, c.Type, c.Description, c.Username, c.Domain, c.WinRmAuthentication,
        c.SecretVersion > 0, c.SecretVersion, c.RotatedAt, c.CreatedAt, c.UpdatedAt);

    static async Task<Results<Ok<PagedList<CredentialDto>>, ValidationProblem>> List(
        CredentialsDb db, string? search, string? type, [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var typeFilter = EnumQuery.Parse<CredentialType>(type, "type", errors);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        IQueryable<Credential> query = db.Credentials.AsNoTracking();
        if (typeFilter is { } t)
        {
            query = query.Where(c => c.Type == t);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(c => c.NormalizedName.Contains(s) || (c.Description != null && c.Description.ToLower().Contains(s))
                || (c.Username != null && c.Username.ToLower().Contains(s)));
        }
        return TypedResults.Ok(await paging.ToPageAsync(query.OrderBy(c => c.NormalizedName).ThenBy(c => c.Id), ToDto, ct));
    }

    static async Task<Results<Ok<CredentialDto>, ProblemHttpResult>> Get(long id, CredentialsDb db, CancellationToken ct) =>
        await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c
            ? TypedResults.Ok(ToDto(c))
            : Problems.NotFound($"Credential {id}");

    static async Task<Results<Created<CredentialDto>, ValidationProblem, ProblemHttpResult>> Create(
        CredentialRequest request, CredentialsDb db, CredentialSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.Type is null)
        {
            errors.Add("type", "Type is required: password, ssh_key, winrm or api_key.");
        }
        ValidateMetadata(errors, request, request.Type);
        SecretPayload? payload = null;
        if (request.Type is { } type)
        {
            payload = CredentialRules.ValidateSecret(errors, type, request.Secret);
        }
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var name = request.Name!.Trim();
        var normalized = name.ToLowerInvariant();
        if (await db.Credentials.AnyAsync(c => c.NormalizedName == normalized, ct))
        {
            return Problems.Conflict($"A credential named '{name}' exists.");
        }
        var now = clock.GetUtcNow();
        var credential = new Credential
        {
            Name = name,
            NormalizedName = normalized,
            Type = request.Type!.Value,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ApplyMetadata(credential, request);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Credentials.Add(credential);
        if (await UniqueName.SaveOrConflictAsync(db, $"A credential named '{name}' exists.", ct) is { } taken)
        {
            return taken;
        }
        secrets.AddVersion(credential, payload!);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/credentials/{credential.Id}", ToDto(credential));
    }

    static async Task<Results<Ok<CredentialDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CredentialRequest request, CredentialsDb db, CredentialSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (credential is null)
        {
            return Problems.NotFound($"Credential {id}");
        }
        var errors = new ValidationErrors();
        if (request.Type is { } type && type != credential.Type)
        {
            errors.Add("type", "The type of a credential cannot change: create a new credential instead.");
        }
        ValidateMetadata(errors, request, credential.Type);
        var payload = request.Secret is null ? null : CredentialRules.ValidateSecret(errors, credential.Type, request.Secret);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var name = request.Name!.Trim();
        var normalized = name.ToLowerInvariant();
        if (await db.Credentials.AnyAsync(c => c.NormalizedName == normalized && c.Id != id, ct))
        {
            return Problems.Conflict($"A credential named '{name}' exists.");
        }
        credential.Name = name;
        credential.NormalizedName = normalized;
        ApplyMetadata(credential, request);
        credential.UpdatedAt = clock.GetUtcNow();
        if (payload is not null)
        {
            secrets.AddVersion(credential, payload);
            credential.RotatedAt = credential.UpdatedAt;
        }
        if (await UniqueName.SaveOrConflictAsync(db, $"A credential named '{name}' exists, or the credential changed meanwhile.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Ok(ToDto(credential));
    }

    static async Task<Results<Ok<CredentialDto>, ValidationProblem, ProblemHttpResult>> Rotate(
        long id, RotateSecretRequest request, CredentialsDb db, CredentialSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (credential is null)
        {
            return Problems.NotFound($"Credential {id}");
        }
        var errors = new ValidationErrors();
        var payload = CredentialRules.ValidateSecret(errors, credential.Type, request.Secret);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        secrets.AddVersion(credential, payload!);
        credential.RotatedAt = credential.UpdatedAt = clock.GetUtcNow();
        // Two rotations at once write the same secret version number; the unique index keeps one.
        if (await UniqueName.SaveOrConflictAsync(db, "The credential was rotated at the same time by another request; try again.", ct) is { } raced)
        {
            return raced;
        }
        return TypedResults.Ok(ToDto(credential));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, CredentialsDb db, IEnumerable<ICredentialUsage> usages, CancellationToken ct)
    {
        if (!await db.Credentials.AnyAsync(c => c.Id == id, ct))
        {
            return Problems.NotFound($"Credential {id}");
        }
        var uses = new List<CredentialUse>();
        foreach (var usage in usages)
        {
            uses.AddRange(await usage.FindUsesAsync(id, ct));
        }
        if (uses.Count > 0)
        {
            var named = string.Join(", ", uses.Take(20).Select(u => $"{u.Kind} '{u.Name}' (id {u.Id})"));
            var more = uses.Count > 20 ? $" and {uses.Count - 20} more" : "";
            return Problems.Conflict($"Credential {id} is used by {named}{more}. Point them at another credential first.");
        }
        await db.Credentials.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<PagedList<SecretAccessDto>>, ValidationProblem, ProblemHttpResult>> AccessLog(
        long id, CredentialsDb db, [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        if (!await db.Credentials.AnyAsync(c => c.Id == id, ct) && !await db.AccessLog.AnyAsync(a => a.CredentialId == id, ct))
        {
            return Problems.NotFound($"Credential {id}");
        }
        var query = db.AccessLog.AsNoTracking().Where(a => a.CredentialId == id).OrderByDescending(a => a.AccessedAt).ThenByDescending(a => a.Id);
        return TypedResults.Ok(await paging.ToPageAsync(query,
            a => new SecretAccessDto(a.Id, a.CredentialId, a.Version, a.Service, a.Purpose, a.RunId, a.Actor, a.AccessedAt), ct));
    }

    /// <summary>Split mode: another service's identity (never a user token) reads a secret; recorded like any read.</summary>
    static async Task<Results<Ok<CredentialSecret>, ValidationProblem, ProblemHttpResult>> ReadForService(
        long id, InternalSecretRequest request, ClaimsPrincipal caller, CredentialSecrets secrets, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Purpose))
        {
            return Problems.Invalid("purpose", "Purpose is required: say why the secret is read.");
        }
        var service = caller.Username() is { Length: > 0 } name ? name : caller.FindFirstValue(ClaimNames.Subject) ?? "unknown";
        var secret = await secrets.ReadAsync(id, new SecretAccess(service, request.Purpose.Trim(), request.RunId, request.Actor), ct);
        return secret is null ? Problems.NotFound($"Credential {id}") : TypedResults.Ok(secret);
    }

    /// <summary>Split mode: a credential reference checked by another service (targets); metadata only.</summary>
    static async Task<Results<Ok<CredentialInfo>, ProblemHttpResult>> FindForService(long id, ICredentialDirectory directory, CancellationToken ct) =>
        await directory.FindAsync(id, ct) is { } info ? TypedResults.Ok(info) : Problems.NotFound($"Credential {id}");

    static void ValidateMetadata(ValidationErrors errors, CredentialRequest request, CredentialType? type)
    {
        errors.Required("name", request.Name, "Name", 200);
        errors.MaxLength("description", request.Description, "Description", 2000);
        errors.MaxLength("username", request.Username, "Username", 256);
        errors.MaxLength("domain", request.Domain, "Domain", 256);
        if (type is CredentialType.Password or CredentialType.SshKey or CredentialType.Winrm && string.IsNullOrWhiteSpace(request.Username))
        {
            errors.Add("username", "Username is required for this credential type.");
        }
        if (type is CredentialType.Winrm && request.Authentication is null)
        {
            errors.Add("authentication", "Authentication is required for a winrm credential: basic or ntlm.");
        }
        if (type is not CredentialType.Winrm && request.Authentication is not null)
        {
            errors.Add("authentication", "Authentication applies only to winrm credentials.");
        }
    }

    static void ApplyMetadata(Credential credential, CredentialRequest request)
    {
        credential.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        credential.Username = string.IsNullOrWhiteSpace(request.Username) ? null : request.Username.Trim();
        credential.Domain = string.IsNullOrWhiteSpace(request.Domain) ? null : request.Domain.Trim();
        credential.WinRmAuthentication = credential.Type == CredentialType.Winrm ? request.Authentication : null;
    }
}

