using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;
using YamlDotNet.Core;

namespace OpsConductor.Jobs;

public static class JobsApi
{
    public static void MapJobsApi(this IEndpointRouteBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        var read = jobs.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = jobs.MapGroup("").RequireAuthorization(Policies.Operator);

        read.MapGet("", List).WithName("ListJobs").WithSummary("Search and page job definitions.");
        read.MapGet("/{id:long}", Get).WithName("GetJob");
        read.MapGet("/{id:long}/export", Export).WithName("ExportJob").WithSummary("The job as a YAML document.")
            .Produces<string>(StatusCodes.Status200OK, "application/yaml");
        write.MapPost("", Create).WithName("CreateJob");
        write.MapPut("/{id:long}", Update).WithName("UpdateJob");
        write.MapDelete("/{id:long}", Delete).WithName("DeleteJob").WithSummary("Delete a job; its run history stays.");
        write.MapPost("/{id:long}/runs", StartRun).WithName("RunJob")
            .WithSummary("Queue a run (202); parameters are validated against the job's definition.");
        write.MapPost("/import", Import).WithName("ImportJobs")
            .WithSummary("Create or update jobs (by name) from YAML documents, with the same validation as the API.")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain");
    }

    internal static JobDefinition Definition(Job job) => JsonSerializer.Deserialize<JobDefinition>(job.DefinitionJson, JobJson.Options)!;

    static JobDto ToDto(Job job)
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

    static async Task<Results<Ok<PagedList<JobDto>>, ValidationProblem>> List(JobsDb db, string? search, string? sort,
        [AsParameters] PageRequest paging, CancellationToken ct)
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
            return errors.ToResult();
        }
        var page = await paging.ToPageAsync(order!(query), ct);
        return TypedResults.Ok(new PagedList<JobDto>(page.Items.Select(ToDto).ToList(), page.Total, page.Page, page.PageSize));
    }

    static async Task<Results<Ok<JobDto>, ProblemHttpResult>> Get(long id, JobsDb db, CancellationToken ct) =>
        await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) is { } job ? TypedResults.Ok(ToDto(job)) : Problems.NotFound($"Job {id}");

    static async Task<Results<Created<JobDto>, ValidationProblem, ProblemHttpResult>> Create(JobDefinition request, ClaimsPrincipal caller, JobsDb db, TimeProvider clock,
        CancellationToken ct)
    {
        var definition = Normalize(request);
        var errors = JobRules.Validate(definition);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var normalized = definition.Name!.ToLowerInvariant();
        if (await db.Jobs.AnyAsync(j => j.NormalizedName == normalized, ct))
        {
            return Problems.Conflict($"A job named '{definition.Name}' exists already.");
        }
        var now = clock.GetUtcNow();
        var job = new Job
        {
            Name = definition.Name!,
            NormalizedName = normalized,
            Description = definition.Description ?? "",
            DefinitionJson = JsonSerializer.Serialize(definition, JobJson.Options),
            CreatedBy = caller.Username(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Jobs.Add(job);
        if (await UniqueName.SaveOrConflictAsync(db, $"A job named '{definition.Name}' exists already.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Created($"/api/v1/jobs/{job.Id}", ToDto(job));
    }

    static async Task<Results<Ok<JobDto>, ValidationProblem, ProblemHttpResult>> Update(long id, JobDefinition request, JobsDb db, TimeProvider clock, CancellationToken ct)
    {
        var definition = Normalize(request);
        var errors = JobRules.Validate(definition);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return Problems.NotFound($"Job {id}");
        }
        var normalized = definition.Name!.ToLowerInvariant();
        if (await db.Jobs.AnyAsync(j => j.NormalizedName == normalized && j.Id != id, ct))
        {
            return Problems.Conflict($"A job named '{definition.Name}' exists already.");
        }
        job.Name = definition.Name!;
        job.NormalizedName = normalized;
        job.Description = definition.Description ?? "";
        job.DefinitionJson = JsonSerializer.Serialize(definition, JobJson.Options);
        job.UpdatedAt = clock.GetUtcNow();
        if (await UniqueName.SaveOrConflictAsync(db, $"A job named '{definition.Name}' exists already.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Ok(ToDto(job));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, JobsDb db, CancellationToken ct)
    {
        var active = new[] { RunStatus.Queued, RunStatus.Running };
        if (await db.Runs.AnyAsync(r => r.JobId == id && active.Contains(r.Status), ct))
        {
            return Problems.Conflict("The job has queued or running runs: cancel them or wait for them to finish.");
        }
        return await db.Jobs.Where(j => j.Id == id).ExecuteDeleteAsync(ct) == 1 ? TypedResults.NoContent() : Problems.NotFound($"Job {id}");
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Export(long id, JobsDb db, CancellationToken ct) =>
        await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) is { } job
            ? TypedResults.Text(JobYaml.Write([Definition(job)]), "application/yaml", Encoding.UTF8)
            : Problems.NotFound($"Job {id}");

    static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(HttpRequest http, ClaimsPrincipal caller, JobsDb db, TimeProvider clock,
        CancellationToken ct)
    {
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        IReadOnlyList<JobDefinition> definitions;
        try
        {
            definitions = JobYaml.Read(text);
        }
        catch (RefusedYamlException ex)
        {
            return Problems.Invalid("yaml", ex.Reason);
        }
        catch (YamlException ex)
        {
            return Problems.Invalid("yaml", $"Invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}.");
        }
        catch (JsonException ex)
        {
            return Problems.Invalid("yaml", $"A value has the wrong type{(ex.Path is { } p ? $" at {p}" : "")}.");
        }
        if (definitions.Count == 0)
        {
            return Problems.Invalid("yaml", "The document holds no job.");
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
            return all.ToResult();
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
                job = new Job { Name = d.Name!, NormalizedName = key, DefinitionJson = json, Description = d.Description ?? "", CreatedBy = caller.Username(), CreatedAt = now, UpdatedAt = now };
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
        if (await UniqueName.SaveOrConflictAsync(db, "A job with one of these names was created meanwhile: import again to update it.", ct) is { } taken)
        {
            return taken;
        }
        return TypedResults.Ok(new ImportResult(created.Select(ToDto).ToList(), updated.Select(ToDto).ToList()));
    }

    static async Task<Results<Accepted<RunDto>, ValidationProblem, ProblemHttpResult>> StartRun(
        long id, RunRequest? request, ClaimsPrincipal caller, JobsDb db, RunEnqueuer enqueuer, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return Problems.NotFound($"Job {id}");
        }
        if (request?.Trigger == RunTrigger.Schedule)
        {
            return Problems.Invalid("trigger", "Only the scheduler starts runs with trigger 'schedule'.");
        }
        var definition = Definition(job);
        var errors = new ValidationErrors();
        var values = JobRules.ResolveParameters(definition, request?.Parameters, errors);
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var run = await enqueuer.EnqueueAsync(job, definition, values, request?.Trigger ?? RunTrigger.Manual, caller.Username(), ct);
        return TypedResults.Accepted($"/api/v1/runs/{run.Id}", run);
    }
}
