using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Security;

namespace OpsConductor.Scheduler;

/// <summary>The schedules endpoints: bind, authorize, ask <see cref="ScheduleBook"/> or <see cref="BlackoutBook"/>, answer over HTTP.</summary>
public static class SchedulesApi
{
    public static void MapSchedulesApi(this IEndpointRouteBuilder api)
    {
        var schedules = api.MapGroup("/schedules").WithTags("Schedules");
        var read = schedules.MapGroup("").RequireAuthorization(Policies.Viewer);
        var write = schedules.MapGroup("").RequireAuthorization(Policies.Operator);
        var admin = schedules.MapGroup("").RequireAuthorization(Policies.Admin);

        read.MapGet("", List).WithName("ListSchedules").WithSummary("Schedules ordered by next fire time (disabled and paused ones last), with filters.");
        read.MapGet("/{id:long}", Get).WithName("GetSchedule");
        read.MapGet("/{id:long}/preview", Preview).WithName("PreviewSchedule")
            .WithSummary("The next fire times (UTC and local), each marked when a blackout window skips it.");
        read.MapGet("/{id:long}/occurrences", Occurrences).WithName("ListScheduleOccurrences")
            .WithSummary("Every occurrence, newest first: fired (with its run), skipped (with the blackout window), missed or failed.");
        write.MapPost("/preview", PreviewUnsaved).WithName("PreviewUnsavedSchedule")
            .WithSummary("The next fire times of a schedule that is not saved (the editor's live preview); checks only cron, runAt, timezone and tags.");
        write.MapPost("", Create).WithName("CreateSchedule");
        write.MapPut("/{id:long}", Update).WithName("UpdateSchedule");
        write.MapDelete("/{id:long}", Delete).WithName("DeleteSchedule").WithSummary("Delete a schedule and its occurrences; its runs stay.");
        write.MapPost("/{id:long}/pause", Pause).WithName("PauseSchedule").WithSummary("Nothing fires (or is recorded) while paused.");
        write.MapPost("/{id:long}/resume", Resume).WithName("ResumeSchedule").WithSummary("Fires again from the next fire time after now.");

        read.MapGet("/blackout-windows", ListWindows).WithName("ListBlackoutWindows");
        read.MapGet("/blackout-windows/calendar", Calendar).WithName("BlackoutCalendar")
            .WithSummary("When each window is in force in the next days (default 30), merged intervals per window.");
        read.MapGet("/blackout-windows/{id:long}", GetWindow).WithName("GetBlackoutWindow");
        admin.MapPost("/blackout-windows", CreateWindow).WithName("CreateBlackoutWindow");
        admin.MapPut("/blackout-windows/{id:long}", UpdateWindow).WithName("UpdateBlackoutWindow");
        admin.MapDelete("/blackout-windows/{id:long}", DeleteWindow).WithName("DeleteBlackoutWindow");
    }

    static async Task<Results<Ok<PagedList<ScheduleDto>>, ValidationProblem>> List(ScheduleBook book, long? jobId, string? search, bool? enabled,
        string? tag, [AsParameters] PageRequest paging, CancellationToken ct) =>
        await book.ListAsync(jobId, search, enabled, tag, paging, ct) switch
        {
            Outcome<PagedList<ScheduleDto>>.Success page => TypedResults.Ok(page.Value),
            Outcome<PagedList<ScheduleDto>>.Invalid invalid => invalid.Errors.ToResult(),
            var other => throw new UnreachableException($"Listing schedules does not answer {other.GetType().Name}."),
        };

    static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> Get(long id, ScheduleBook book, CancellationToken ct) =>
        await book.GetAsync(id, ct) is { } schedule ? TypedResults.Ok(schedule) : Problems.NotFound($"Schedule {id}");

    static async Task<Results<Created<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Create(ScheduleRequest request, ClaimsPrincipal caller,
        ScheduleBook book, CancellationToken ct) =>
        await book.CreateAsync(request, caller.Username(), ct) switch
        {
            Outcome<ScheduleDto>.Success created => TypedResults.Created($"/api/v1/schedules/{created.Value.Id}", created.Value),
            Outcome<ScheduleDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => refused.ToProblem("Schedule"),
        };

    static async Task<Results<Ok<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Update(long id, ScheduleRequest request, ClaimsPrincipal caller,
        ScheduleBook book, CancellationToken ct) =>
        (await book.UpdateAsync(id, request, caller.Username(), ct)).ToOk("Schedule");

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ScheduleBook book, CancellationToken ct) =>
        await book.DeleteAsync(id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            var refused => refused.ToProblem("Schedule"),
        };

    static async Task<Results<Ok<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Pause(long id, ClaimsPrincipal caller, ScheduleBook book,
        CancellationToken ct) =>
        (await book.SetPausedAsync(id, true, caller.Username(), ct)).ToOk("Schedule");

    static async Task<Results<Ok<ScheduleDto>, ValidationProblem, ProblemHttpResult>> Resume(long id, ClaimsPrincipal caller, ScheduleBook book,
        CancellationToken ct) =>
        (await book.SetPausedAsync(id, false, caller.Username(), ct)).ToOk("Schedule");

    static async Task<Results<Ok<SchedulePreview>, ValidationProblem, ProblemHttpResult>> Preview(long id, int? count, ScheduleBook book,
        CancellationToken ct) =>
        (await book.PreviewAsync(id, count, ct)).ToOk("Schedule");

    static async Task<Results<Ok<SchedulePreview>, ValidationProblem, ProblemHttpResult>> PreviewUnsaved(ScheduleRequest request, int? count,
        ScheduleBook book, CancellationToken ct) =>
        (await book.PreviewAsync(request, count, ct)).ToOk("Schedule");

    static async Task<Results<Ok<PagedList<OccurrenceDto>>, ValidationProblem, ProblemHttpResult>> Occurrences(long id,
        [AsParameters] PageRequest paging, ScheduleBook book, CancellationToken ct) =>
        (await book.OccurrencesAsync(id, paging, ct)).ToOk("Schedule");

    static async Task<Results<Ok<PagedList<BlackoutWindowDto>>, ValidationProblem>> ListWindows([AsParameters] PageRequest paging, BlackoutBook book,
        CancellationToken ct)
    {
        var errors = paging.Validate();
        return errors.IsValid ? TypedResults.Ok(await book.ListAsync(paging, ct)) : errors.ToResult();
    }

    static async Task<Results<Ok<BlackoutWindowDto>, ProblemHttpResult>> GetWindow(long id, BlackoutBook book, CancellationToken ct) =>
        await book.GetAsync(id, ct) is { } window ? TypedResults.Ok(window) : Problems.NotFound($"Blackout window {id}");

    static async Task<Results<Ok<BlackoutCalendar>, ValidationProblem, ProblemHttpResult>> Calendar(int? days, BlackoutBook book, CancellationToken ct) =>
        (await book.CalendarAsync(days, ct)).ToOk("Blackout window");

    static async Task<Results<Created<BlackoutWindowDto>, ValidationProblem, ProblemHttpResult>> CreateWindow(BlackoutWindowRequest request,
        ClaimsPrincipal caller, BlackoutBook book, CancellationToken ct) =>
        await book.CreateAsync(request, caller.Username(), ct) switch
        {
            Outcome<BlackoutWindowDto>.Success created => TypedResults.Created($"/api/v1/schedules/blackout-windows/{created.Value.Id}", created.Value),
            Outcome<BlackoutWindowDto>.Invalid invalid => invalid.Errors.ToResult(),
            var refused => refused.ToProblem("Blackout window"),
        };

    static async Task<Results<Ok<BlackoutWindowDto>, ValidationProblem, ProblemHttpResult>> UpdateWindow(long id, BlackoutWindowRequest request,
        BlackoutBook book, CancellationToken ct) =>
        (await book.UpdateAsync(id, request, ct)).ToOk("Blackout window");

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteWindow(long id, BlackoutBook book, CancellationToken ct) =>
        await book.DeleteAsync(id, ct) switch
        {
            Outcome<long>.Success => TypedResults.NoContent(),
            var refused => refused.ToProblem("Blackout window"),
        };
}
