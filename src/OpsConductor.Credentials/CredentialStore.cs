using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Credentials;

/// <summary>
/// The rules of credentials as records: unique names, metadata each type needs, a type that never changes,
/// secrets only ever added as new versions, and no deleting a credential something still uses.
/// </summary>
public sealed class CredentialStore(CredentialsDb db, CredentialSecrets secrets, IEnumerable<ICredentialUsage> usages, TimeProvider clock)
{
    public static CredentialDto ToDto(Credential c) => new(c.Id, c.Name, c.Type, c.Description, c.Username, c.Domain, c.WinRmAuthentication,
        c.SecretVersion > 0, c.SecretVersion, c.RotatedAt, c.CreatedAt, c.UpdatedAt);

    public async Task<Outcome<PagedList<CredentialDto>>> ListAsync(string? search, string? type, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var typeFilter = EnumQuery.Parse<CredentialType>(type, "type", errors);
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<CredentialDto>>.Invalid(errors);
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
        return new Outcome<PagedList<CredentialDto>>.Success(
            await paging.ToPageAsync(query.OrderBy(c => c.NormalizedName).ThenBy(c => c.Id), ToDto, ct));
    }

    public async Task<CredentialDto?> FindAsync(long id, CancellationToken ct) =>
        await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? ToDto(c) : null;

    public async Task<Outcome<CredentialDto>> CreateAsync(CredentialRequest request, CancellationToken ct)
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
            return new Outcome<CredentialDto>.Invalid(errors);
        }
        var name = request.Name!.Trim();
        var normalized = name.ToLowerInvariant();
        var taken = $"A credential named '{name}' exists.";
        if (await db.Credentials.AnyAsync(c => c.NormalizedName == normalized, ct))
        {
            return new Outcome<CredentialDto>.Conflict(taken);
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
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<CredentialDto>.Conflict(taken);
        }
        secrets.AddVersion(credential, payload!);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Outcome<CredentialDto>.Success(ToDto(credential));
    }

    public async Task<Outcome<CredentialDto>> UpdateAsync(long id, CredentialRequest request, CancellationToken ct)
    {
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (credential is null)
        {
            return new Outcome<CredentialDto>.NotFound(id);
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
            return new Outcome<CredentialDto>.Invalid(errors);
        }
        var name = request.Name!.Trim();
        var normalized = name.ToLowerInvariant();
        if (await db.Credentials.AnyAsync(c => c.NormalizedName == normalized && c.Id != id, ct))
        {
            return new Outcome<CredentialDto>.Conflict($"A credential named '{name}' exists.");
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
        var raced = $"A credential named '{name}' exists, or the credential changed meanwhile.";
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<CredentialDto>.Conflict(raced);
        }
        return new Outcome<CredentialDto>.Success(ToDto(credential));
    }

    public async Task<Outcome<CredentialDto>> RotateAsync(long id, SecretInput? secret, CancellationToken ct)
    {
        var credential = await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (credential is null)
        {
            return new Outcome<CredentialDto>.NotFound(id);
        }
        var errors = new ValidationErrors();
        var payload = CredentialRules.ValidateSecret(errors, credential.Type, secret);
        if (!errors.IsValid)
        {
            return new Outcome<CredentialDto>.Invalid(errors);
        }
        secrets.AddVersion(credential, payload!);
        credential.RotatedAt = credential.UpdatedAt = clock.GetUtcNow();
        // Two rotations at once write the same secret version number; the unique index keeps one.
        const string raced = "The credential was rotated at the same time by another request; try again.";
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<CredentialDto>.Conflict(raced);
        }
        return new Outcome<CredentialDto>.Success(ToDto(credential));
    }

    /// <returns>On success the id of the deleted credential.</returns>
    public async Task<Outcome<long>> DeleteAsync(long id, CancellationToken ct)
    {
        if (!await db.Credentials.AnyAsync(c => c.Id == id, ct))
        {
            return new Outcome<long>.NotFound(id);
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
            return new Outcome<long>.Conflict($"Credential {id} is used by {named}{more}. Point them at another credential first.");
        }
        await db.Credentials.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return new Outcome<long>.Success(id);
    }

    /// <summary>The reads of a credential's secret, newest first; answered while the log outlives a deleted credential.</summary>
    public async Task<Outcome<PagedList<SecretAccessDto>>> AccessLogAsync(long id, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<SecretAccessDto>>.Invalid(errors);
        }
        if (!await db.Credentials.AnyAsync(c => c.Id == id, ct) && !await db.AccessLog.AnyAsync(a => a.CredentialId == id, ct))
        {
            return new Outcome<PagedList<SecretAccessDto>>.NotFound(id);
        }
        var query = db.AccessLog.AsNoTracking().Where(a => a.CredentialId == id).OrderByDescending(a => a.AccessedAt).ThenByDescending(a => a.Id);
        return new Outcome<PagedList<SecretAccessDto>>.Success(await paging.ToPageAsync(query,
            a => new SecretAccessDto(a.Id, a.CredentialId, a.Version, a.Service, a.Purpose, a.RunId, a.Actor, a.AccessedAt), ct));
    }

    /// <summary>Split mode: another service reads a secret; it must say why, and the read is recorded like any other.</summary>
    public async Task<Outcome<CredentialSecret>> ReadForServiceAsync(long id, string service, InternalSecretRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Purpose))
        {
            return new Outcome<CredentialSecret>.Invalid(
                new ValidationErrors().Add("purpose", "Purpose is required: say why the secret is read."));
        }
        var secret = await secrets.ReadAsync(id, new SecretAccess(service, request.Purpose.Trim(), request.RunId, request.Actor), ct);
        return secret is null ? new Outcome<CredentialSecret>.NotFound(id) : new Outcome<CredentialSecret>.Success(secret);
    }

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
