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

namespace OpsConductor.Targets;

public static class TargetsApi
{
    public static void MapTargetsApi(this IEndpointRouteBuilder api)
    {
        var targets = api.MapGroup("/targets").WithTags("Targets");
        var read = targets.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = targets.MapGroup("").RequireAuthorization(Policies.Operator);

        read.MapGet("", List).WithName("ListTargets").WithSummary("Search (name, hostname) and filter (tag, osType, status, credentialId) targets.");
        read.MapGet("/{id:long}", Get).WithName("GetTarget").WithSummary("A target with its status, OS facts and pinned host key.");
        read.MapGet("/{id:long}/status-history", StatusHistory).WithName("GetTargetStatusHistory")
            .WithSummary("When the target's status changed, newest first.");
        write.MapPost("", Create).WithName("CreateTarget").WithSummary("Register a target.");
        write.MapPut("/{id:long}", Update).WithName("UpdateTarget").WithSummary("Change a target.");
        write.MapDelete("/{id:long}", Delete).WithName("DeleteTarget").WithSummary("Remove a target.");
        write.MapPost("/{id:long}/check", Check).WithName("CheckTarget")
            .WithSummary("Connect for real: reachability, latency, authentication, host key, OS name and version.");
        write.MapPost("/{id:long}/accept-host-key", AcceptHostKey).WithName("AcceptTargetHostKey")
            .WithSummary("Pin the host key the last check saw, once the operator compared its fingerprint: the body must repeat it.");
        write.MapPost("/health-sweep", Sweep).WithName("RunTargetHealthSweep")
            .WithSummary("Run one health check of every target now and report how long it took.");
    }

    static TargetDto ToDto(Target t) => new(t.Id, t.Name, t.Hostname, t.Port, t.OsType, t.Connection, t.CredentialId,
        t.Tags.Select(x => x.Tag).Order(StringComparer.Ordinal).ToList(), t.Description,
        t.Connection == ConnectionType.Winrm ? new WinRmSettings(t.WinRmUseHttps, t.WinRmVerifyCertificate) : null,
        t.Connection == ConnectionType.Ssh ? new SshSettingsDto(t.PinnedHostKey, t.LastSeenHostKey) : null,
        t.Status, t.StatusChangedAt, t.LastError, t.LastCheckedAt, t.LatencyMs, t.OsName, t.OsVersion, t.Kernel, t.CreatedAt, t.UpdatedAt);

    static async Task<Results<Ok<PagedList<TargetDto>>, ValidationProblem>> List(
        TargetsDb db, string? search, string[]? tag, string? osType, string? status, long? credentialId,
        [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        var osFilter = EnumQuery.Parse<OsType>(osType, "osType", errors);
        var statusFilter = EnumQuery.Parse<TargetStatus>(status, "status", errors);
        if (!errors.IsValid)
        {
            return errors.ToResult();
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
        return TypedResults.Ok(await paging.ToPageAsync(query.OrderBy(t => t.NormalizedName).ThenBy(t => t.Id).AsSplitQuery(), ToDto, ct));
    }

    static async Task<Results<Ok<TargetDto>, ProblemHttpResult>> Get(long id, TargetsDb db, CancellationToken ct) =>
        await db.Targets.AsNoTracking().Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct) is { } t
            ? TypedResults.Ok(ToDto(t))
            : Problems.NotFound($"Target {id}");

    static async Task<Results<Created<TargetDto>, ValidationProblem, ProblemHttpResult>> Create(
        TargetRequest request, TargetsDb db, ICredentialDirectory credentials, TimeProvider clock, CancellationToken ct)
    {
        var errors = await TargetRules.ValidateAsync(request, credentials, ct);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var name = request.Name!.Trim();
        if (await NameTaken(db, name, null, ct))
        {
            return Problems.Conflict($"A target named '{name}' exists.");
        }
        var now = clock.GetUtcNow();
        var target = new Target { Name = name, NormalizedName = name.ToLowerInvariant(), Hostname = "", CreatedAt = now };
        TargetRules.Apply(target, request, now);
        db.Targets.Add(target);
        if (await UniqueName.SaveOrConflictAsync(db, $"A target named '{name}' exists.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Created($"/api/v1/targets/{target.Id}", ToDto(target));
    }

    static async Task<Results<Ok<TargetDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, TargetRequest request, TargetsDb db, ICredentialDirectory credentials, TimeProvider clock, CancellationToken ct)
    {
        var target = await db.Targets.Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return Problems.NotFound($"Target {id}");
        }
        var errors = await TargetRules.ValidateAsync(request, credentials, ct);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var name = request.Name!.Trim();
        if (await NameTaken(db, name, id, ct))
        {
            return Problems.Conflict($"A target named '{name}' exists.");
        }
        target.Name = name;
        target.NormalizedName = name.ToLowerInvariant();
        TargetRules.Apply(target, request, clock.GetUtcNow());
        if (await UniqueName.SaveOrConflictAsync(db, $"A target named '{name}' exists.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Ok(ToDto(target));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, TargetsDb db, CancellationToken ct) =>
        await db.Targets.Where(t => t.Id == id).ExecuteDeleteAsync(ct) > 0 ? TypedResults.NoContent() : Problems.NotFound($"Target {id}");

    static async Task<Results<Ok<CheckResult>, ProblemHttpResult>> Check(
        long id, ClaimsPrincipal caller, TargetsDb db, ICredentialVault vault, TargetChecker checker, TargetsSettings settings,
        TimeProvider clock, CancellationToken ct)
    {
        var target = await db.Targets.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return Problems.NotFound($"Target {id}");
        }
        var now = clock.GetUtcNow();
        if (target.Connection == ConnectionType.Winrm)
        {
            return TypedResults.Ok(new CheckResult(false, null, target.OsName, target.OsVersion, null, TargetChecker.WinRmNotSupported, now, target.Status));
        }
        var secret = await vault.ReadSecretAsync(target.CredentialId,
            new SecretAccess(TargetsModule.Service, $"check of target {target.Id}", Actor: caller.Username()), ct);
        if (secret is null)
        {
            return Problems.Conflict($"Credential {target.CredentialId} of this target no longer exists or has no secret.");
        }
        var outcome = await checker.CheckSshAsync(TargetHealth.ToConnection(target), secret, detectOs: true, settings.ConnectTimeout, ct);
        now = clock.GetUtcNow();
        if (TargetHealth.Apply(target, outcome, now) is { } change)
        {
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CheckResult(outcome.Reachable, outcome.LatencyMs, target.OsName, target.OsVersion, outcome.HostKeyFingerprint,
            outcome.Error, now, target.Status));
    }

    static async Task<Results<Ok<TargetDto>, ValidationProblem, ProblemHttpResult>> AcceptHostKey(
        long id, AcceptHostKeyRequest? request, TargetsDb db, TimeProvider clock, CancellationToken ct)
    {
        var fingerprint = request?.Fingerprint?.Trim();
        if (!TargetRules.IsFingerprint(fingerprint))
        {
            return Problems.Invalid("fingerprint",
                "Give the fingerprint you compared with the server's (OpenSSH form: SHA256: and 43 base64 characters).");
        }
        var target = await db.Targets.Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return Problems.NotFound($"Target {id}");
        }
        if (target.Connection != ConnectionType.Ssh)
        {
            return Problems.Conflict("Only SSH targets have host keys.");
        }
        if (target.LastSeenHostKey is null || target.LastSeenHostKey == target.PinnedHostKey)
        {
            return Problems.Conflict("No new host key has been seen for this target: run a check first.");
        }
        // Pins what the operator saw, never just whatever answered last: a key that changed since is refused.
        if (!string.Equals(fingerprint, target.LastSeenHostKey, StringComparison.Ordinal))
        {
            return Problems.Conflict("The fingerprint differs from the host key the last check saw: run a check again and compare.");
        }
        var now = clock.GetUtcNow();
        target.PinnedHostKey = target.LastSeenHostKey;
        target.UpdatedAt = now;
        if (target.Status is TargetStatus.HostKeyMismatch or TargetStatus.HostKeyUnconfirmed
            && TargetHealth.SetStatus(target, TargetStatus.Unknown, "Host key accepted; not checked since.", now) is { } change)
        {
            target.LastError = null;
            db.StatusHistory.Add(change);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(target));
    }

    static async Task<Results<Ok<PagedList<StatusChangeDto>>, ValidationProblem, ProblemHttpResult>> StatusHistory(
        long id, TargetsDb db, [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        if (!await db.Targets.AnyAsync(t => t.Id == id, ct))
        {
            return Problems.NotFound($"Target {id}");
        }
        var query = db.StatusHistory.AsNoTracking().Where(h => h.TargetId == id).OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id);
        return TypedResults.Ok(await paging.ToPageAsync(query,
            h => new StatusChangeDto(h.Id, h.TargetId, h.Status, h.PreviousStatus, h.Error, h.ChangedAt), ct));
    }

    static async Task<Ok<SweepResult>> Sweep(HealthSweep sweep, CancellationToken ct) => TypedResults.Ok(await sweep.RunAsync(ct));

    static Task<bool> NameTaken(TargetsDb db, string name, long? exceptId, CancellationToken ct)
    {
        var normalized = name.ToLowerInvariant();
        return db.Targets.AnyAsync(t => t.NormalizedName == normalized && t.Id != exceptId, ct);
    }
}

