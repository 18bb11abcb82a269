using System.Globalization;
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

namespace OpsConductor.Jobs;

public sealed record RunStepDto(int Index, string Name, RunStatus Status, int? ExitCode, string Stdout, string Stderr, bool OutputTruncated,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

public sealed record RunTargetDto(long TargetId, string TargetName, string Hostname, RunStatus Status, int Attempt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, IReadOnlyList<RunStepDto> Steps);

public sealed record RunDto(long Id, long JobId, string JobName, RunStatus Status, RunTrigger Trigger, string RequestedBy,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, JsonElement Parameters, string? WaitReason,
    string? Error, bool CancelRequested, long? RerunOf, IReadOnlyList<RunTargetDto> Targets);

public sealed record RunSummaryDto(long Id, long JobId, string JobName, RunStatus Status, RunTrigger Trigger, string RequestedBy,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? WaitReason, string? Error);

public sealed record RerunRequest(bool OnlyFailed = true);

public static class RunsApi
{
    public const string SecretMask = "********";
    const string WaitingForExecutor = "Waiting for an executor to pick it up.";

    public static void MapRunsApi(this IEndpointRouteBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        var read = runs.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = runs.MapGroup("").RequireAuthorization(Policies.Operator);
        read.MapGet("", List).WithName("ListRuns").WithSummary("Run history, newest first, with filters.");
        read.MapGet("/{id:long}", Get).WithName("GetRun").WithSummary("A run with every target and step and their output.");
        read.MapGet("/{id:long}/events", Events).WithName("StreamRunEvents")
            .WithSummary("Server-sent events: output lines and status changes, replayed from the start (or after Last-Event-ID), ending with the final status.")
            .Produces<RunStreamEvent>(StatusCodes.Status200OK, contentType: "text/event-stream");
        write.MapPost("/{id:long}/cancel", Cancel).WithName("CancelRun").WithSummary("Stop a run; running commands on targets are killed.");
        write.MapPost("/{id:long}/rerun", Rerun).WithName("RerunRun")
            .WithSummary("Run again with the same parameters: by default only on the targets that failed.");
    }

    internal static bool IsFinal(RunStatus s) => s is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.TimedOut;

    internal static async Task<Run> EnqueueAsync(JobsDb db, RunParameterSeal seal, RunSignals signals, Job job, JobDefinition definition,
        IReadOnlyDictionary<string, string> values, RunTrigger trigger, string requestedBy, long? rerunOf, IReadOnlyList<long>? onlyTargets,
        CancellationToken ct, string? sealedOverride = null)
    {
        var secretNames = (definition.Parameters ?? []).Where(p => p.Type == ParameterType.Secret).Select(p => p.Name!).ToHashSet();
        var shown = values.ToDictionary(v => v.Key, v => secretNames.Contains(v.Key) ? SecretMask : v.Value);
        var run = new Run
        {
            JobId = job.Id,
            JobName = job.Name,
            Status = RunStatus.Queued,
            Trigger = trigger,
            RequestedBy = requestedBy,
            QueuedAt = DateTimeOffset.UtcNow,
            ParametersJson = JsonSerializer.Serialize(shown),
            SealedParameters = sealedOverride ?? seal.Seal(values, values.Keys.Any(secretNames.Contains)),
            JobSnapshotJson = JsonSerializer.Serialize(definition, JobJson.Options),
            AllowConcurrentRuns = definition.AllowConcurrentRuns,
            TargetIdsOverrideJson = onlyTargets is null ? null : JsonSerializer.Serialize(onlyTargets),
            RerunOf = rerunOf,
            WaitReason = WaitingForExecutor,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        signals.WorkArrived();
        return run;
    }

    internal static RunDto ToDto(Run r, IReadOnlyList<RunTarget> targets, IReadOnlyList<RunStep> steps, IReadOnlyList<RunEvent> liveOutput)
    {
        var live = liveOutput.GroupBy(e => (e.TargetId, e.StepIndex, e.Stream)).ToDictionary(g => g.Key, g => string.Join("\n", g.Select(e => e.Text)));
        string Output(RunStep s, string stream) =>
            s.Status == RunStatus.Running && live.TryGetValue((s.TargetId, s.StepIndex, stream), out var text) ? text : stream == "stdout" ? s.Stdout : s.Stderr;
        var byTarget = steps.ToLookup(s => s.TargetId);
        return new RunDto(r.Id, r.JobId, r.JobName, r.Status, r.Trigger, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt,
            JsonDocument.Parse(r.ParametersJson).RootElement.Clone(), r.Status == RunStatus.Queued ? r.WaitReason : null, r.Error,
            r.CancelRequested, r.RerunOf,
            targets.OrderBy(t => t.TargetName).Select(t => new RunTargetDto(t.TargetId, t.TargetName, t.Hostname, t.Status, t.Attempt,
                t.StartedAt, t.FinishedAt, t.Error,
                byTarget[t.TargetId].OrderBy(s => s.StepIndex).Select(s => new RunStepDto(s.StepIndex, s.Name, s.Status, s.ExitCode,
                    Output(s, "stdout"), Output(s, "stderr"), s.OutputTruncated, s.StartedAt, s.FinishedAt, s.Error)).ToList())).ToList());
    }

    static async Task<Results<Ok<PagedList<RunSummaryDto>>, ValidationProblem>> List(JobsDb db, long? jobId, string? status, string? trigger,
        DateTimeOffset? from, DateTimeOffset? to, [AsParameters] PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        IQueryable<Run> query = db.Runs.AsNoTracking();
        if (jobId is { } j)
        {
            query = query.Where(r => r.JobId == j);
        }
        if (status is not null)
        {
            var statuses = new List<RunStatus>();
            foreach (var s in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (SnakeCaseEnumConverter<RunStatus>.TryParse(s, out var parsed))
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
            r.Trigger, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Status == RunStatus.Queued ? r.WaitReason : null, r.Error)), ct);
        return TypedResults.Ok(page);
    }

    static async Task<Results<Ok<RunDto>, ProblemHttpResult>> Get(long id, JobsDb db, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
        {
            return Problems.NotFound($"Run {id}");
        }
        if (run.Status == RunStatus.Queued && run.WaitReason == WaitingForExecutor)
        {
            var alive = DateTimeOffset.UtcNow.AddSeconds(-30);
            if (!await db.Workers.AnyAsync(w => w.LastHeartbeat >= alive, ct))
            {
                run.WaitReason = "No executor is running: start the executor service to run it.";
            }
        }
        var targets = await db.RunTargets.AsNoTracking().Where(t => t.RunId == id).ToListAsync(ct);
        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == id).ToListAsync(ct);
        var running = steps.Where(s => s.Status == RunStatus.Running).Select(s => s.TargetId).ToHashSet();
        var live = running.Count == 0 ? [] : await db.RunEvents.AsNoTracking()
            .Where(e => e.RunId == id && e.Kind == RunEvents.Output && e.TargetId != null && running.Contains(e.TargetId.Value))
            .OrderBy(e => e.Id).Take(20_000).ToListAsync(ct);
        return TypedResults.Ok(ToDto(run, targets, steps, live));
    }

    static async Task<Results<Accepted, ProblemHttpResult>> Cancel(long id, ClaimsPrincipal caller, JobsDb db, RunSignals signals, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var queued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.CancelRequested, true).SetProperty(r => r.Error, $"Cancelled by {caller.Username()} before it started."), ct);
        if (queued == 1)
        {
            db.RunEvents.Add(RunEvents.Status(id, "run", null, null, RunStatus.Cancelled, null, $"cancelled by {caller.Username()}", now));
            await db.SaveChangesAsync(ct);
            signals.RunChanged(id);
            return TypedResults.Accepted($"/api/v1/runs/{id}");
        }
        var running = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct);
        if (running == 1)
        {
            return TypedResults.Accepted($"/api/v1/runs/{id}");
        }
        return await db.Runs.AnyAsync(r => r.Id == id, ct)
            ? Problems.Conflict("The run has finished already.")
            : Problems.NotFound($"Run {id}");
    }

    static async Task<Results<Accepted<RunDto>, ProblemHttpResult>> Rerun(long id, RerunRequest? request, ClaimsPrincipal caller, JobsDb db,
        RunParameterSeal seal, RunSignals signals, CancellationToken ct)
    {
        var original = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (original is null)
        {
            return Problems.NotFound($"Run {id}");
        }
        if (!IsFinal(original.Status))
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
            var ok = new[] { RunStatus.Succeeded };
            only = await db.RunTargets.Where(t => t.RunId == id && !ok.Contains(t.Status)).Select(t => t.TargetId).ToListAsync(ct);
            if (only.Count == 0)
            {
                return Problems.Conflict("No target failed in this run: nothing to re-run. Re-run with onlyFailed=false to run on all of them.");
            }
        }
        var definition = JsonSerializer.Deserialize<JobDefinition>(original.JobSnapshotJson, JobJson.Options)!;
        var values = seal.Unseal(original.SealedParameters);
        var run = await EnqueueAsync(db, seal, signals, job, definition, values, RunTrigger.Manual, caller.Username(), id, only, ct, original.SealedParameters);
        return TypedResults.Accepted($"/api/v1/runs/{run.Id}", ToDto(run, [], [], []));
    }

    static readonly JsonSerializerOptions SseJson = JobJson.Options;

    /// <summary>
    /// Server-sent events: replays from the start (or Last-Event-ID), follows live, ends with the final status. A stream
    /// also ends (event <c>expired</c>) when the caller's token expires: the client reconnects with a fresh token and
    /// Last-Event-ID. A user may hold only so many streams at once.
    /// </summary>
    static async Task Events(long id, HttpContext http, ClaimsPrincipal caller, JobsDb db, RunSignals signals, RunStreamSlots streams,
        TimeProvider clock, long? after, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            await Problems.NotFound($"Run {id}").ExecuteAsync(http);
            return;
        }
        var expiresAt = long.TryParse(caller.FindFirstValue("exp"), CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : clock.GetUtcNow();
        if (expiresAt <= clock.GetUtcNow())
        {
            // Accepted within the clock skew, but a stream on it would end at once: make the client refresh first.
            await Problems.Unauthorized("The access token has expired: refresh it and reconnect with Last-Event-ID.").ExecuteAsync(http);
            return;
        }
        using var slot = streams.TryOpen(caller.UserId());
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open event streams",
                detail: $"You already follow {streams.MaxPerUser} event streams: close one first.").ExecuteAsync(http);
            return;
        }
        var last = after ?? (long.TryParse(http.Request.Headers["Last-Event-ID"], out var l) ? l : 0);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event through at once
        await response.Body.FlushAsync(ct);

        var quietSince = clock.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var batch = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.Id > last).OrderBy(e => e.Id).Take(1000).ToListAsync(ct);
                if (batch.Count > 0)
                {
                    var sb = new StringBuilder();
                    foreach (var e in batch)
                    {
                        Append(sb, e);
                        last = e.Id;
                    }
                    await response.WriteAsync(sb.ToString(), ct);
                    await response.Body.FlushAsync(ct);
                    quietSince = clock.GetUtcNow();
                    if (batch.Count == 1000)
                    {
                        continue;
                    }
                }
                var status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstAsync(ct);
                if (IsFinal(status) && !await db.RunEvents.AnyAsync(e => e.RunId == id && e.Id > last, ct))
                {
                    var end = JsonSerializer.Serialize(new { status }, SseJson);
                    await response.WriteAsync($"event: end\ndata: {end}\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    return;
                }
                var untilExpiry = expiresAt - clock.GetUtcNow();
                if (untilExpiry <= TimeSpan.Zero)
                {
                    await response.WriteAsync("event: expired\ndata: {}\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    return;
                }
                if (clock.GetUtcNow() - quietSince > TimeSpan.FromSeconds(15))
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    quietSince = clock.GetUtcNow();
                }
                await signals.WaitForRunAsync(id, untilExpiry < signals.ReaderPollInterval ? untilExpiry : signals.ReaderPollInterval, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }

    static void Append(StringBuilder sb, RunEvent e)
    {
        string data;
        switch (e.Kind)
        {
            case RunEvents.Output:
                data = JsonSerializer.Serialize(new { targetId = e.TargetId, step = e.StepIndex, stream = e.Stream, line = e.Text, at = e.At }, SseJson);
                break;
            case RunEvents.StatusKind:
                var s = RunEvents.ReadStatus(e);
                data = JsonSerializer.Serialize(new { scope = s.Scope, targetId = e.TargetId, step = e.StepIndex, status = s.Status, exitCode = s.ExitCode, error = s.Error, at = e.At }, SseJson);
                break;
            default:
                data = e.Text;
                break;
        }
        sb.Append("id: ").Append(e.Id).Append('\n').Append("event: ").Append(e.Kind).Append('\n').Append("data: ").Append(data).Append("\n\n");
    }
}
