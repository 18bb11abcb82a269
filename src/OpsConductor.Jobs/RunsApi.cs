using System.Security.Claims;
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

namespace OpsConductor.Jobs;

public sealed record RunStepDto(int Index, string Name, RunStatus Status, int? ExitCode, string Stdout, string Stderr, bool OutputTruncated,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

public sealed record RunTargetDto(long TargetId, string TargetName, string Hostname, RunStatus Status, int Attempt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, IReadOnlyList<RunStepDto> Steps);

/// <summary>A run as of one moment; <see cref="LastEventId"/> is the newest event it includes: follow the event stream after it.</summary>
public sealed record RunDto(long Id, long JobId, string JobName, RunStatus Status, RunTrigger Trigger, string RequestedBy,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, JsonElement Parameters, string? WaitReason,
    string? Error, bool CancelRequested, string? CancelledBy, long? RerunOf, IReadOnlyList<RunTargetDto> Targets, long LastEventId, long? ScheduleId,
    string? ScheduleName, DateTimeOffset? ScheduledFor);

public sealed record RunSummaryDto(long Id, long JobId, string JobName, RunStatus Status, RunTrigger Trigger, string RequestedBy,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? WaitReason, string? Error, long? ScheduleId,
    string? ScheduleName, DateTimeOffset? ScheduledFor);

public sealed record RerunRequest(bool OnlyFailed = true);

public static class RunsApi
{
    public static void MapRunsApi(this IEndpointRouteBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        var read = runs.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = runs.MapGroup("").RequireAuthorization(Policies.Operator);
        read.MapGet("", List).WithName("ListRuns").WithSummary("Run history, newest first, with filters.");
        read.MapGet("/{id:long}", Get).WithName("GetRun")
            .WithSummary("A run with every target and step and their output, as of its event lastEventId (follow the event stream after it).");
        read.MapGet("/{id:long}/events", RunEventStream.StreamAsync).WithName("StreamRunEvents")
            .WithSummary("Server-sent events: the run's typed events, replayed from the start (or after Last-Event-ID or ?after=), then live, ending with the final status.")
            .Produces<RunStreamEvent>(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id:long}/targets/{targetId:long}/output", RunOutputDownload.TargetAsync).WithName("DownloadRunTargetOutput")
            .WithSummary("The output of every step on one target, as a plain-text file: each step's lines in order, both streams as they came.")
            .Produces<string>(StatusCodes.Status200OK, contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id:long}/targets/{targetId:long}/steps/{index:int}/output", RunOutputDownload.StepAsync).WithName("DownloadRunStepOutput")
            .WithSummary("The output of one step on one target, as a plain-text file: its lines in order, both streams as they came.")
            .Produces<string>(StatusCodes.Status200OK, contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/{id:long}/cancel", Cancel).WithName("CancelRun").WithSummary("Stop a run; running commands on targets are killed.");
        write.MapPost("/{id:long}/rerun", Rerun).WithName("RerunRun")
            .WithSummary("Run again with the same parameters: by default only on the targets that failed.");
    }

    static async Task<Results<Ok<PagedList<RunSummaryDto>>, ValidationProblem>> List(JobsDb db, long? jobId, long? scheduleId, long? targetId, string? status,
        string? trigger, DateTimeOffset? from, DateTimeOffset? to, [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        IQueryable<Run> query = db.Runs.AsNoTracking();
        if (jobId is { } j)
        {
            query = query.Where(r => r.JobId == j);
        }
        if (scheduleId is { } sid)
        {
            query = query.Where(r => r.ScheduleId == sid);
        }
        if (targetId is { } tid)
        {
            // The runs that touched the target: its targets are recorded once the run resolved them.
            query = query.Where(r => db.RunTargets.Any(t => t.RunId == r.Id && t.TargetId == tid));
        }
        if (status is not null)
        {
            var statuses = new List<RunStatus>();
            foreach (var s in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (SnakeCaseEnumConverter<RunStatus>.TryParse(s, out var parsed) && parsed != RunStatus.Skipped)
                {
                    statuses.Add(parsed);
                }
                else
                {
                    errors.Add("status", $"Unknown status '{s}': use queued, running, succeeded, failed, cancelled or timed_out.");
                }
            }
            query = query.Where(r => statuses.Contains(r.Status));
        }
        if (trigger is not null)
        {
            if (SnakeCaseEnumConverter<RunTrigger>.TryParse(trigger, out var t))
            {
                query = query.Where(r => r.Trigger == t);
            }
            else
            {
                errors.Add("trigger", "trigger must be manual, schedule or api.");
            }
        }
        if (from is { } f)
        {
            query = query.Where(r => r.QueuedAt >= f);
        }
        if (to is { } until)
        {
            query = query.Where(r => r.QueuedAt < until);
        }
        if (!errors.IsValid)
        {
            return errors.ToResult();
        }
        var page = await paging.ToPageAsync(query.OrderByDescending(r => r.Id).Select(r => new RunSummaryDto(r.Id, r.JobId, r.JobName, r.Status,
            r.Trigger, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Status == RunStatus.Queued ? r.WaitReason : null, r.Error,
            r.ScheduleId, r.ScheduleName, r.ScheduledFor)), ct);
        return TypedResults.Ok(page);
    }

    static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(long id, JobsDb db, TimeProvider clock, CancellationToken ct) =>
        await RunDocument.LoadAsync(db, id, clock.GetUtcNow(), ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run {id}");

    static async Task<Results<Accepted, ProblemHttpResult>> Cancel(long id, ClaimsPrincipal caller, JobsDb db, RunSignals signals, TimeProvider clock,
        CancellationToken ct)
    {
        var now = RunEventCodec.Now(clock);
        var user = caller.Username();
        var error = $"Cancelled by {user} before it started.";
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The final status and its event in one commit: a stream that sees the run final has its event too.
            var queued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now)
                    .SetProperty(r => r.CancelRequested, true).SetProperty(r => r.CancelledBy, user).SetProperty(r => r.Error, error), ct);
            if (queued == 1)
            {
                db.RunEvents.Add(RunEventCodec.Encode(id, new StatusChanged(RunScope.Run, null, null, RunStatus.Cancelled, null, now, null, error, null) { At = now }));
                db.RunOutbox.Add(RunOutboxRow.For(id, RunStatus.Cancelled, now));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                signals.RunChanged(id);
                return TypedResults.Accepted($"/api/v1/runs/{id}");
            }
        }
        // Whoever asked first is the one who cancelled; a second request changes nothing.
        var running = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true).SetProperty(r => r.CancelledBy, r => r.CancelledBy ?? user), ct);
        if (running == 1)
        {
            return TypedResults.Accepted($"/api/v1/runs/{id}");
        }
        return await db.Runs.AnyAsync(r => r.Id == id, ct)
            ? Problems.Conflict("The run has finished already.")
            : Problems.NotFound($"Run {id}");
    }

    static async Task<Results<Accepted<RunDto>, ProblemHttpResult>> Rerun(long id, RerunRequest? request, ClaimsPrincipal caller, JobsDb db,
        RunParameterSeal seal, RunEnqueuer enqueuer, CancellationToken ct)
    {
        var original = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (original is null)
        {
            return Problems.NotFound($"Run {id}");
        }
        if (!original.Status.IsFinal())
        {
            return Problems.Conflict("The run has not finished yet.");
        }
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == original.JobId, ct);
        if (job is null)
        {
            return Problems.Conflict("The job of this run was deleted.");
        }
        List<long>? only = null;
        if (request?.OnlyFailed ?? true)
        {
            only = await db.RunTargets.Where(t => t.RunId == id && t.Status != RunStatus.Succeeded).Select(t => t.TargetId).ToListAsync(ct);
            if (only.Count == 0)
            {
                return Problems.Conflict("No target failed in this run: nothing to re-run. Re-run with onlyFailed=false to run on all of them.");
            }
        }
        var definition = JsonSerializer.Deserialize<JobDefinition>(original.JobSnapshotJson, JobJson.Options)!;
        var values = seal.Unseal(original.SealedParameters);
        var run = await enqueuer.EnqueueAsync(job, definition, values, RunTrigger.Manual, caller.Username(), ct,
            new RerunOf(id, original.SealedParameters, only));
        return TypedResults.Accepted($"/api/v1/runs/{run.Id}", run);
    }
}
