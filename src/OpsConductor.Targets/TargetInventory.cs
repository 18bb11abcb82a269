using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Targets;

/// <summary>
/// The rules of the target inventory: unique names, valid requests with a credential that exists, checks that
/// record the status they find, and host keys pinned only when the operator repeats the fingerprint the last check saw.
/// </summary>
public sealed class TargetInventory(
    TargetsDb db, ICredentialDirectory credentials, ICredentialVault vault, TargetChecker checker, TargetsSettings settings, TimeProvider clock)
{
    public static TargetDto ToDto(Target t) => new(t.Id, t.Name, t.Hostname, t.Port, t.OsType, t.Connection, t.CredentialId,
        t.Tags.Select(x => x.Tag).Order(StringComparer.Ordinal).ToList(), t.Description,
        t.Connection == ConnectionType.Winrm ? new WinRmSettings(t.WinRmUseHttps, t.WinRmVerifyCertificate, t.WinRmCertificateThumbprint) : null,
        t.Connection == ConnectionType.Ssh ? new SshSettingsDto(t.PinnedHostKey, t.LastSeenHostKey, t.HostKeyConfirmed) : null,
        t.Status, t.StatusChangedAt, t.LastError, t.LastCheckedAt, t.LatencyMs, t.OsName, t.OsVersion, t.Kernel, t.CreatedAt, t.UpdatedAt);

    public async Task<Outcome<PagedList<TargetDto>>> ListAsync(
        string? search, string[]? tag, string? osType, string? status, long? credentialId, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var osFilter = EnumQuery.Parse<OsType>(osType, "osType", errors);
        var statusFilter = EnumQuery.Parse<TargetStatus>(status, "status", errors);
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<TargetDto>>.Invalid(errors);
        }
        IQueryable<Target> query = db.Targets.AsNoTracking().Include(t => t.Tags);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(t => t.NormalizedName.Contains(s) || t.Hostname.ToLower().Contains(s));
        }
        // Several tags: targets carrying all of them.
        foreach (var wanted in (tag ?? []).Select(TargetRules.NormalizeTag).Where(x => x.Length > 0).Distinct())
        {
            query = query.Where(t => t.Tags.Any(x => x.Tag == wanted));
        }
        if (osFilter is { } os)
        {
            query = query.Where(t => t.OsType == os);
        }
        if (statusFilter is { } st)
        {
            query = query.Where(t => t.Status == st);
        }
        if (credentialId is { } c)
        {
            query = query.Where(t => t.CredentialId == c);
        }
        return new Outcome<PagedList<TargetDto>>.Success(
            await paging.ToPageAsync(query.OrderBy(t => t.NormalizedName).ThenBy(t => t.Id).AsSplitQuery(), ToDto, ct));
    }

    public async Task<TargetDto?> FindAsync(long id, CancellationToken ct) =>
        await db.Targets.AsNoTracking().Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct) is { } t ? ToDto(t) : null;

    public async Task<Outcome<TargetDto>> CreateAsync(TargetRequest request, CancellationToken ct)
    {
        var errors = await TargetRules.ValidateAsync(request, credentials, ct);
        if (!errors.IsValid)
        {
            return new Outcome<TargetDto>.Invalid(errors);
        }
        var name = request.Name!.Trim();
        var taken = $"A target named '{name}' exists.";
        if (await NameTaken(name, null, ct))
        {
            return new Outcome<TargetDto>.Conflict(taken);
        }
        var now = clock.GetUtcNow();
        var target = new Target { Name = name, NormalizedName = name.ToLowerInvariant(), Hostname = "", CreatedAt = now };
        TargetRules.Apply(target, request, now);
        db.Targets.Add(target);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<TargetDto>.Conflict(taken);
        }
        return new Outcome<TargetDto>.Success(ToDto(target));
    }

    public async Task<Outcome<TargetDto>> UpdateAsync(long id, TargetRequest request, CancellationToken ct)
    {
        var target = await db.Targets.Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return new Outcome<TargetDto>.NotFound(id);
        }
        var errors = await TargetRules.ValidateAsync(request, credentials, ct);
        if (!errors.IsValid)
        {
            return new Outcome<TargetDto>.Invalid(errors);
        }
        var name = request.Name!.Trim();
        var taken = $"A target named '{name}' exists.";
        if (await NameTaken(name, id, ct))
        {
            return new Outcome<TargetDto>.Conflict(taken);
        }
        target.Name = name;
        target.NormalizedName = name.ToLowerInvariant();
        TargetRules.Apply(target, request, clock.GetUtcNow());
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<TargetDto>.Conflict(taken);
        }
        return new Outcome<TargetDto>.Success(ToDto(target));
    }

    /// <returns>Whether a target was deleted (false: there was none with this id).</returns>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct) => await db.Targets.Where(t => t.Id == id).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Connects for real (SSH or WinRM) and records what it found.</summary>
    /// <param name="actor">Who asked, recorded with the read of the credential's secret.</param>
    public async Task<Outcome<CheckResult>> CheckAsync(long id, string? actor, CancellationToken ct)
    {
        var target = await db.Targets.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return new Outcome<CheckResult>.NotFound(id);
        }
        var secret = await vault.ReadSecretAsync(target.CredentialId,
            new SecretAccess(TargetsModule.Service, $"check of target {target.Id}", Actor: actor), ct);
        if (secret is null)
        {
            return new Outcome<CheckResult>.Conflict($"Credential {target.CredentialId} of this target no longer exists or has no secret.");
        }
        var outcome = await checker.CheckAsync(TargetHealth.ToConnection(target), secret, detectOs: true, settings.ConnectTimeout, ct);
        var now = clock.GetUtcNow();
        if (TargetHealth.Apply(target, outcome, now) is { } change)
        {
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(ct);
        return new Outcome<CheckResult>.Success(new CheckResult(outcome.Reachable, outcome.LatencyMs, target.OsName, target.OsVersion,
            outcome.HostKeyFingerprint, outcome.Error, now, target.Status));
    }

    public async Task<Outcome<TargetDto>> AcceptHostKeyAsync(long id, string? fingerprint, CancellationToken ct)
    {
        fingerprint = fingerprint?.Trim();
        if (!TargetRules.IsFingerprint(fingerprint))
        {
            return new Outcome<TargetDto>.Invalid(new ValidationErrors().Add("fingerprint",
                "Give the fingerprint you compared with the server's (OpenSSH form: SHA256: and 43 base64 characters)."));
        }
        var target = await db.Targets.Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return new Outcome<TargetDto>.NotFound(id);
        }
        if (target.Connection != ConnectionType.Ssh)
        {
            return new Outcome<TargetDto>.Conflict("Only SSH targets have host keys.");
        }
        if (target.LastSeenHostKey is null || (target.LastSeenHostKey == target.PinnedHostKey && target.HostKeyConfirmed))
        {
            return new Outcome<TargetDto>.Conflict("No new host key has been seen for this target: run a check first.");
        }
        // Pins what the operator saw, never just whatever answered last: a key that changed since is refused.
        if (!string.Equals(fingerprint, target.LastSeenHostKey, StringComparison.Ordinal))
        {
            return new Outcome<TargetDto>.Conflict(
                "The fingerprint differs from the host key the last check saw: run a check again and compare.");
        }
        var now = clock.GetUtcNow();
        target.PinnedHostKey = target.LastSeenHostKey;
        target.HostKeyConfirmed = true;
        target.UpdatedAt = now;
        if (target.Status is TargetStatus.HostKeyMismatch or TargetStatus.HostKeyUnconfirmed
            && TargetHealth.SetStatus(target, TargetStatus.Unknown, "Host key accepted; not checked since.", now) is { } change)
        {
            target.LastError = null;
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(ct);
        return new Outcome<TargetDto>.Success(ToDto(target));
    }

    public async Task<Outcome<PagedList<StatusChangeDto>>> StatusHistoryAsync(long id, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<StatusChangeDto>>.Invalid(errors);
        }
        if (!await db.Targets.AnyAsync(t => t.Id == id, ct))
        {
            return new Outcome<PagedList<StatusChangeDto>>.NotFound(id);
        }
        var query = db.StatusHistory.AsNoTracking().Where(h => h.TargetId == id).OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id);
        return new Outcome<PagedList<StatusChangeDto>>.Success(await paging.ToPageAsync(query,
            h => new StatusChangeDto(h.Id, h.TargetId, h.Status, h.PreviousStatus, h.Error, h.ChangedAt), ct));
    }

    Task<bool> NameTaken(string name, long? exceptId, CancellationToken ct)
    {
        var normalized = name.ToLowerInvariant();
        return db.Targets.AnyAsync(t => t.NormalizedName == normalized && t.Id != exceptId, ct);
    }
}
