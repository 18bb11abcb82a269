using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;
using YamlDotNet.Core;

namespace OpsConductor.Jobs;

/// <summary>
/// The rules of job definitions: valid and unique by name, imported all or nothing, never deleted while a run is
/// queued or running, and runs started only with parameters the definition accepts.
/// </summary>
public sealed class JobCatalog(JobsDb db, RunEnqueuer enqueuer, IManualRunGate blackouts, TimeProvider clock)
{
    internal static JobDefinition Definition(Job job) => JsonSerializer.Deserialize<JobDefinition>(job.DefinitionJson, JobJson.Options)!;

    public static JobDto ToDto(Job job)
    {
        var d = Definition(job);
        return new JobDto(job.Id, job.Name, d.Description, d.Parameters ?? [], d.Steps ?? [], d.Targets ?? new TargetSelector([], []),
            d.MaxParallelTargets, d.AllowConcurrentRuns, d.Retries, d.RetryBackoffSeconds, d.Notifications ?? [],
            job.CreatedBy, job.CreatedAt, job.UpdatedAt);
    }

    static JobDefinition Normalize(JobDefinition d) => d with
    {
        Name = d.Name?.Trim(),
        Parameters = d.Parameters ?? [],
        Targets = new TargetSelector(
            (d.Targets?.TargetIds ?? []).Distinct().ToList(),
            (d.Targets?.Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList()),
    };

    static readonly IReadOnlyDictionary<string, Func<IQueryable<Job>, IOrderedQueryable<Job>>> JobOrders = SortOrder.Orderings<Job>(
        ("name", q => q.OrderBy(j => j.NormalizedName), q => q.OrderByDescending(j => j.NormalizedName)),
        ("updatedAt", q => q.OrderBy(j => j.UpdatedAt).ThenBy(j => j.Id), q => q.OrderByDescending(j => j.UpdatedAt).ThenByDescending(j => j.Id)));

    public async Task<Outcome<PagedList<JobDto>>> ListAsync(string? search, string? sort, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        IQueryable<Job> query = db.Jobs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(j => j.NormalizedName.Contains(s));
        }
        var order = SortOrder.Pick(sort, "name", JobOrders, errors);
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<JobDto>>.Invalid(errors);
        }
        var page = await paging.ToPageAsync(order!(query), ct);
        var lastRuns = await LastRunsAsync(page.Items.Select(j => j.Id).ToList(), ct);
        return new Outcome<PagedList<JobDto>>.Success(new PagedList<JobDto>(
            page.Items.Select(j => ToDto(j) with { LastRun = lastRuns.GetValueOrDefault(j.Id) }).ToList(), page.Total, page.Page, page.PageSize));
    }

    /// <summary>The newest run of each of the jobs, in one query (the index on JobId, Id finds each job's highest id).</summary>
    async Task<Dictionary<long, JobLastRun>> LastRunsAsync(List<long> jobIds, CancellationToken ct)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }
        var rows = await db.Runs.AsNoTracking()
            .Where(r => jobIds.Contains(r.JobId) && r.Id == db.Runs.Where(o => o.JobId == r.JobId).Max(o => o.Id))
            .Select(r => new { r.JobId, r.Id, r.Status, r.QueuedAt, r.FinishedAt })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.JobId, r => new JobLastRun(r.Id, r.Status, r.QueuedAt, r.FinishedAt));
    }

    public Task<Job?> FindAsync(long id, CancellationToken ct) => db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);

    /// <summary>The job with the blackout window that refuses its manual runs now, so a client can say why before it tries.</summary>
    public async Task<JobDto?> DetailAsync(long id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } job)
        {
            return null;
        }
        var window = await blackouts.BlockingWindowAsync(id, ct);
        return ToDto(job) with { ActiveBlackout = window is null ? null : new JobBlackout(window.WindowId, window.WindowName, window.Until) };
    }

    /// <param name="createdBy">The caller's username, recorded as the job's author.</param>
    public async Task<Outcome<JobDto>> CreateAsync(JobDefinition request, string createdBy, CancellationToken ct)
    {
        var definition = Normalize(request);
        var errors = JobRules.Validate(definition);
        if (!errors.IsValid)
        {
            return new Outcome<JobDto>.Invalid(errors);
        }
        var normalized = definition.Name!.ToLowerInvariant();
        var taken = $"A job named '{definition.Name}' exists already.";
        if (await db.Jobs.AnyAsync(j => j.NormalizedName == normalized, ct))
        {
            return new Outcome<JobDto>.Conflict(taken);
        }
        var now = clock.GetUtcNow();
        var job = new Job
        {
            Name = definition.Name!,
            NormalizedName = normalized,
            Description = definition.Description ?? "",
            DefinitionJson = JsonSerializer.Serialize(definition, JobJson.Options),
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Jobs.Add(job);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<JobDto>.Conflict(taken);
        }
        return new Outcome<JobDto>.Success(ToDto(job));
    }

    public async Task<Outcome<JobDto>> UpdateAsync(long id, JobDefinition request, CancellationToken ct)
    {
        var definition = Normalize(request);
        var errors = JobRules.Validate(definition);
        if (!errors.IsValid)
        {
            return new Outcome<JobDto>.Invalid(errors);
        }
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return new Outcome<JobDto>.NotFound(id);
        }
        var normalized = definition.Name!.ToLowerInvariant();
        var taken = $"A job named '{definition.Name}' exists already.";
        if (await db.Jobs.AnyAsync(j => j.NormalizedName == normalized && j.Id != id, ct))
        {
            return new Outcome<JobDto>.Conflict(taken);
        }
        job.Name = definition.Name!;
        job.NormalizedName = normalized;
        job.Description = definition.Description ?? "";
        job.DefinitionJson = JsonSerializer.Serialize(definition, JobJson.Options);
        job.UpdatedAt = clock.GetUtcNow();
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<JobDto>.Conflict(taken);
        }
        return new Outcome<JobDto>.Success(ToDto(job));
    }

    /// <returns>On success the id of the deleted job.</returns>
    public async Task<Outcome<long>> DeleteAsync(long id, CancellationToken ct)
    {
        var active = Enum.GetValues<RunStatus>().Where(s => !s.IsFinal()).ToArray();
        if (await db.Runs.AnyAsync(r => r.JobId == id && active.Contains(r.Status), ct))
        {
            return new Outcome<long>.Conflict("The job has queued or running runs (its schedules queue runs a few seconds ahead of their time): cancel them or wait for them to finish.");
        }
        return await db.Jobs.Where(j => j.Id == id).ExecuteDeleteAsync(ct) == 1 ? new Outcome<long>.Success(id) : new Outcome<long>.NotFound(id);
    }

    /// <summary>The job as a YAML document, or null when there is no such job.</summary>
    public async Task<string?> ExportAsync(long id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } job ? JobYaml.Write([Definition(job)]) : null;

    /// <summary>Creates or updates (by name) the jobs of YAML documents; all of them or, on any error, none.</summary>
    public async Task<Outcome<ImportResult>> ImportAsync(string text, string createdBy, CancellationToken ct)
    {
        IReadOnlyList<JobDefinition> definitions;
        try
        {
            definitions = JobYaml.Read(text);
        }
        catch (RefusedYamlException ex)
        {
            return InvalidYaml(ex.Reason);
        }
        catch (YamlException ex)
        {
            return InvalidYaml($"Invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}.");
        }
        catch (JsonException ex)
        {
            return InvalidYaml($"A value has the wrong type{(ex.Path is { } p ? $" at {p}" : "")}.");
        }
        if (definitions.Count == 0)
        {
            return InvalidYaml("The document holds no job.");
        }
        // Validate all first: an import either applies completely or changes nothing.
        var all = new ValidationErrors();
        var normalized = definitions.Select(Normalize).ToList();
        for (var i = 0; i < normalized.Count; i++)
        {
            var errors = JobRules.Validate(normalized[i]);
            if (!errors.IsValid)
            {
                all.Add($"jobs[{i}]", $"'{normalized[i].Name}': " + string.Join(" ", errors.Messages));
            }
        }
        if (normalized.GroupBy(d => d.Name?.ToLowerInvariant()).Any(g => g.Count() > 1))
        {
            all.Add("jobs", "The same job name appears twice.");
        }
        if (!all.IsValid)
        {
            return new Outcome<ImportResult>.Invalid(all);
        }
        var created = new List<Job>();
        var updated = new List<Job>();
        var now = clock.GetUtcNow();
        foreach (var d in normalized)
        {
            var key = d.Name!.ToLowerInvariant();
            var job = await db.Jobs.FirstOrDefaultAsync(j => j.NormalizedName == key, ct);
            var json = JsonSerializer.Serialize(d, JobJson.Options);
            if (job is null)
            {
                job = new Job { Name = d.Name!, NormalizedName = key, DefinitionJson = json, Description = d.Description ?? "", CreatedBy = createdBy, CreatedAt = now, UpdatedAt = now };
                db.Jobs.Add(job);
                created.Add(job);
            }
            else
            {
                (job.Name, job.DefinitionJson, job.Description, job.UpdatedAt) = (d.Name!, json, d.Description ?? "", now);
                updated.Add(job);
            }
        }
        // Another import or create may have taken one of the names since it was looked up.
        const string raced = "A job with one of these names was created meanwhile: import again to update it.";
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<ImportResult>.Conflict(raced);
        }
        return new Outcome<ImportResult>.Success(new ImportResult(created.Select(ToDto).ToList(), updated.Select(ToDto).ToList()));
    }

    /// <summary>
    /// Queues a run of the job with parameters its definition accepts, on the job's targets or the ones the request names;
    /// only the scheduler uses the trigger 'schedule'.
    /// </summary>
    /// <param name="isAdmin">Whether the caller is an admin, who alone may override a blackout window.</param>
    public async Task<Outcome<RunDto>> StartRunAsync(long id, RunRequest? request, string actor, bool isAdmin, CancellationToken ct)
    {
        var job = await FindAsync(id, ct);
        if (job is null)
        {
            return new Outcome<RunDto>.NotFound(id);
        }
        if (request?.Trigger == RunTrigger.Schedule)
        {
            return new Outcome<RunDto>.Invalid(new ValidationErrors().Add("trigger", "Only the scheduler starts runs with trigger 'schedule'."));
        }
        var definition = Definition(job);
        var errors = new ValidationErrors();
        var values = JobRules.ResolveParameters(definition, request?.Parameters, errors);
        var targetIds = request?.TargetIds?.Distinct().ToList();
        if (targetIds is { Count: 0 })
        {
            errors.Add("targetIds", "Choose at least one target, or leave targetIds out to run on the job's targets.");
        }
        else if (targetIds?.Any(t => t <= 0) == true)
        {
            errors.Add("targetIds", "Target ids are positive numbers.");
        }
        if (!errors.IsValid)
        {
            return new Outcome<RunDto>.Invalid(errors);
        }
        if (await blackouts.BlockingWindowAsync(id, ct) is { } window)
        {
            if (request?.OverrideBlackout != true)
            {
                return new Outcome<RunDto>.Conflict(
                    $"The blackout window '{window.WindowName}' refuses manual runs of this job now; an admin can pass overrideBlackout: true.");
            }
            if (!isAdmin)
            {
                return new Outcome<RunDto>.Forbidden($"Only an admin may override the blackout window '{window.WindowName}'.");
            }
        }
        return new Outcome<RunDto>.Success(
            await enqueuer.EnqueueAsync(job, definition, values, request?.Trigger ?? RunTrigger.Manual, actor, ct, targetIds: targetIds));
    }

    static Outcome<ImportResult> InvalidYaml(string message) =>
        new Outcome<ImportResult>.Invalid(new ValidationErrors().Add("yaml", message));
}
