using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Targets;

/// <summary>The targets endpoints: bind, authorize, ask <see cref="TargetInventory"/>, answer its outcome over HTTP.</summary>
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
        write.MapPost("/tags", Tags).WithName("TagTargets")
            .WithSummary("Add and remove tags on many targets at once; any unknown id or bad tag is a 400 and changes nothing.");
        write.MapPost("/health-sweep", Sweep).WithName("RunTargetHealthSweep")
            .WithSummary("Run one health check of every target now and report how long it took.");
    }

    static async Task<Results<Ok<PagedList<TargetDto>>, ValidationProblem>> List(
        TargetInventory inventory, string? search, string[]? tag, string? osType, string? status, long? credentialId,
        [AsParameters] PageRequest paging, CancellationToken ct) =>
        await inventory.ListAsync(search, tag, osType, status, credentialId, paging, ct) switch
        {
            Outcome<PagedList<TargetDto>>.Success page => TypedResults.Ok(page.Value),
            Outcome<PagedList<TargetDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing targets does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<TargetDto>, ProblemHttpResult>> Get(long id, TargetInventory inventory, CancellationToken ct) =>
        await inventory.FindAsync(id, ct) is { } target ? TypedResults.Ok(target) : Problems.NotFound($"Target {id}");

    static async Task<Results<Created<TargetDto>, ValidationProblem, ProblemHttpResult>> Create(
        TargetRequest request, TargetInventory inventory, CancellationToken ct) =>
        await inventory.CreateAsync(request, ct) switch
        {
            Outcome<TargetDto>.Success created => TypedResults.Created($"/api/v1/targets/{created.Value.Id}", created.Value),
            Outcome<TargetDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<TargetDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, TargetRequest request, TargetInventory inventory, CancellationToken ct) =>
        Answer(await inventory.UpdateAsync(id, request, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, TargetInventory inventory, CancellationToken ct) =>
        await inventory.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"Target {id}");

    static async Task<Results<Ok<CheckResult>, ProblemHttpResult>> Check(
        long id, ClaimsPrincipal caller, TargetInventory inventory, CancellationToken ct) =>
        await inventory.CheckAsync(id, caller.Username(), ct) switch
        {
            Outcome<CheckResult>.Success checkedNow => TypedResults.Ok(checkedNow.Value),
            var refused => Problem(refused),
        };

    static async Task<Results<Ok<TargetDto>, ValidationProblem, ProblemHttpResult>> AcceptHostKey(
        long id, AcceptHostKeyRequest? request, TargetInventory inventory, CancellationToken ct) =>
        Answer(await inventory.AcceptHostKeyAsync(id, request?.Fingerprint, ct));

    static async Task<Results<Ok<PagedList<StatusChangeDto>>, ValidationProblem, ProblemHttpResult>> StatusHistory(
        long id, TargetInventory inventory, [AsParameters] PageRequest paging, CancellationToken ct) =>
        Answer(await inventory.StatusHistoryAsync(id, paging, ct));

    static async Task<Results<Ok<BulkTagResult>, ValidationProblem, ProblemHttpResult>> Tags(
        BulkTagRequest request, TargetTagging tagging, CancellationToken ct) =>
        Answer(await tagging.ApplyAsync(request, ct));

    static async Task<Ok<SweepResult>> Sweep(HealthSweep sweep, CancellationToken ct) => TypedResults.Ok(await sweep.RunAsync(ct));

    static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(Outcome<T> outcome) => outcome.ToOk("Target");

    static ProblemHttpResult Problem<T>(Outcome<T> refused) => refused.ToProblem("Target");
}
