using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Jobs;

/// <summary>The jobs endpoints: bind, authorize, ask <see cref="JobCatalog"/>, answer its outcome over HTTP.</summary>
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

    static async Task<Results<Ok<PagedList<JobDto>>, ValidationProblem>> List(JobCatalog catalog, string? search, string? sort,
        [AsParameters] PageRequest paging, CancellationToken ct) =>
        await catalog.ListAsync(search, sort, paging, ct) switch
        {
            Outcome<PagedList<JobDto>>.Success page => TypedResults.Ok(page.Value),
            Outcome<PagedList<JobDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing jobs does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<JobDto>, ProblemHttpResult>> Get(long id, JobCatalog catalog, CancellationToken ct) =>
        await catalog.DetailAsync(id, ct) is { } job ? TypedResults.Ok(job) : Problems.NotFound($"Job {id}");

    static async Task<Results<Created<JobDto>, ValidationProblem, ProblemHttpResult>> Create(JobDefinition request, ClaimsPrincipal caller,
        JobCatalog catalog, CancellationToken ct) =>
        await catalog.CreateAsync(request, caller.Username(), ct) switch
        {
            Outcome<JobDto>.Success created => TypedResults.Created($"/api/v1/jobs/{created.Value.Id}", created.Value),
            Outcome<JobDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<JobDto>, ValidationProblem, ProblemHttpResult>> Update(long id, JobDefinition request, JobCatalog catalog,
        CancellationToken ct) =>
        Answer(await catalog.UpdateAsync(id, request, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, JobCatalog catalog, CancellationToken ct) =>
        await catalog.DeleteAsync(id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            var refused => Problem(refused),
        };

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Export(long id, JobCatalog catalog, CancellationToken ct) =>
        await catalog.ExportAsync(id, ct) is { } yaml
            ? TypedResults.Text(yaml, "application/yaml", Encoding.UTF8)
            : Problems.NotFound($"Job {id}");

    static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(HttpRequest http, ClaimsPrincipal caller,
        JobCatalog catalog, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        return Answer(await catalog.ImportAsync(text, caller.Username(), ct));
    }

    static async Task<Results<Accepted<RunDto>, ValidationProblem, ProblemHttpResult>> StartRun(
        long id, RunRequest? request, ClaimsPrincipal caller, JobCatalog catalog, CancellationToken ct) =>
        await catalog.StartRunAsync(id, request, caller.Username(), caller.IsAdmin(), ct) switch
        {
            Outcome<RunDto>.Success run => TypedResults.Accepted($"/api/v1/runs/{run.Value.Id}", run.Value),
            Outcome<RunDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(Outcome<T> outcome) => outcome.ToOk("Job");

    static ProblemHttpResult Problem<T>(Outcome<T> refused) => refused.ToProblem("Job");
}
