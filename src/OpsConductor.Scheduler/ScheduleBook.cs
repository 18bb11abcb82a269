using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Scheduler;

/// <summary>
/// The rules of schedules: a valid cron or one-time <c>runAt</c> in a known zone, a job that exists with parameters it
/// accepts (the manual-run rules, through <see cref="IScheduledRuns"/>), unique names; and what they will do next.
/// </summary>
public sealed class ScheduleBook(SchedulerDb db, IScheduledRuns jobs, ScheduleParameterSeal seal, BlackoutBook blackouts, ScheduleLookahead lookahead,
    SchedulerGate gate, SchedulerSignals signals, TimeProvider clock)
{
    public const int MaxPreview = 100;

    /// <summary>A request that passed validation, ready to save.</summary>
    sealed record Valid(string Name, long JobId, string? Cron, string? RunAt, string Timezone, ScheduleTiming Timing, Dictionary<string, JsonElement> Parameters,
        bool ContainsSecret, List<string> Tags, bool Enabled);

    public async Task<Outcome<PagedList<ScheduleDto>>> ListAsync(long? jobId, string? search, bool? enabled, string? tag, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<ScheduleDto>>.Invalid(errors);
        }
        IQueryable<Schedule> query = db.Schedules.AsNoTracking();
        if (jobId is { } j)
        {
            query = query.Where(s => s.JobId == j);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(x => x.NormalizedName.Contains(s));
        }
        if (enabled is { } e)
        {
            query = query.Where(s => s.Enabled == e);
        }
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var quoted = JsonSerializer.Serialize(tag.Trim().ToLowerInvariant());
            query = query.Where(s => s.TagsJson.Contains(quoted));
        }
        var ordered = query.OrderBy(s => s.NextFireAt == null).ThenBy(s => s.NextFireAt).ThenBy(s => s.Id);
        var page = await paging.ToPageAsync(ordered, ct);
        return new Outcome<PagedList<ScheduleDto>>.Success(new PagedList<ScheduleDto>(await ToDtosAsync(page.Items, ct), page.Total, page.Page, page.PageSize));
    }

    public async Task<ScheduleDto?> GetAsync(long id, CancellationToken ct) =>
        await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } schedule ? (await ToDtosAsync([schedule], ct))[0] : null;

    public async Task<Outcome<ScheduleDto>> CreateAsync(ScheduleRequest request, string actor, CancellationToken ct)
    {
        var (valid, errors) = await ValidateAsync(request, null, ct);
        if (valid is null)
        {
            return new Outcome<ScheduleDto>.Invalid(errors);
        }
        var taken = $"A schedule named '{valid.Name}' exists already.";
        var normalized = valid.Name.ToLowerInvariant();
        if (await db.Schedules.AnyAsync(s => s.NormalizedName == normalized, ct))
        {
            return new Outcome<ScheduleDto>.Conflict(taken);
        }
        var now = clock.GetUtcNow();
        var schedule = new Schedule { Name = valid.Name, NormalizedName = normalized, CreatedBy = actor, CreatedAt = now };
        Apply(schedule, valid, actor, now);
        db.Schedules.Add(schedule);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<ScheduleDto>.Conflict(taken);
        }
        signals.ScheduleChanged();
        return new Outcome<ScheduleDto>.Success((await ToDtosAsync([schedule], ct))[0]);
    }

    public async Task<Outcome<ScheduleDto>> UpdateAsync(long id, ScheduleRequest request, string actor, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null)
        {
            return new Outcome<ScheduleDto>.NotFound(id);
        }
        var (valid, errors) = await ValidateAsync(request, schedule, ct);
        if (valid is null)
        {
            return new Outcome<ScheduleDto>.Invalid(errors);
        }
        var normalized = valid.Name.ToLowerInvariant();
        var taken = $"A schedule named '{valid.Name}' exists already.";
        if (await db.Schedules.AnyAsync(s => s.NormalizedName == normalized && s.Id != id, ct))
        {
            return new Outcome<ScheduleDto>.Conflict(taken);
        }
        await using var change = await gate.ChangeAsync(db, ct);
        // The name first: a conflict then leaves everything as it was, before anything is withdrawn.
        (schedule.Name, schedule.NormalizedName) = (valid.Name, normalized);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<ScheduleDto>.Conflict(taken);
        }
        await lookahead.WithdrawAsync([id], ct); // runs queued ahead are replanned with the new settings
        Apply(schedule, valid, actor, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await change.CommitAsync(ct);
        signals.ScheduleChanged();
        return new Outcome<ScheduleDto>.Success((await ToDtosAsync([schedule], ct))[0]);
    }

    public async Task<Outcome<long>> DeleteAsync(long id, CancellationToken ct)
    {
        await using var change = await gate.ChangeAsync(db, ct);
        await lookahead.WithdrawAsync([id], ct);
        // On PostgreSQL the change's transaction holds both deletes; on SQLite they get their own.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return new Outcome<long>.NotFound(id);
        }
        await db.Occurrences.Where(o => o.ScheduleId == id).ExecuteDeleteAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        await change.CommitAsync(ct);
        return new Outcome<long>.Success(id);
    }

    /// <summary>Pauses (no occurrence fires or is recorded while paused) or resumes (from the next fire time after now).</summary>
    public async Task<Outcome<ScheduleDto>> SetPausedAsync(long id, bool paused, string actor, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null)
        {
            return new Outcome<ScheduleDto>.NotFound(id);
        }
        await using var change = await gate.ChangeAsync(db, ct);
        await lookahead.WithdrawAsync([id], ct);
        var now = clock.GetUtcNow();
        schedule.Paused = paused;
        schedule.NextFireAt = Next(schedule, ScheduleTiming.From(schedule), now);
        (schedule.UpdatedBy, schedule.UpdatedAt) = (actor, now);
        await db.SaveChangesAsync(ct);
        await change.CommitAsync(ct);
        signals.ScheduleChanged();
        return new Outcome<ScheduleDto>.Success((await ToDtosAsync([schedule], ct))[0]);
    }

    public async Task<Outcome<SchedulePreview>> PreviewAsync(long id, int? count, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null)
        {
            return new Outcome<SchedulePreview>.NotFound(id);
        }
        var errors = CheckCount(count);
        var timing = ScheduleTiming.From(schedule);
        if (!errors.IsValid || timing is null)
        {
            return new Outcome<SchedulePreview>.Invalid(errors.IsValid ? errors.Add("cron", "The saved timing cannot be read.") : errors);
        }
        return new Outcome<SchedulePreview>.Success(await PreviewAsync(timing, schedule.TimeZone, Tags(schedule), count ?? 5, ct));
    }

    /// <summary>The fire times of an unsaved schedule (the editor's live preview): only its timing and tags are checked.</summary>
    public async Task<Outcome<SchedulePreview>> PreviewAsync(ScheduleRequest request, int? count, CancellationToken ct)
    {
        var errors = CheckCount(count);
        var timing = CheckTiming(request, errors, out var zoneId);
        if (timing is null || !errors.IsValid)
        {
            return new Outcome<SchedulePreview>.Invalid(errors);
        }
        return new Outcome<SchedulePreview>.Success(await PreviewAsync(timing, zoneId, NormalizeTags(request.Tags, errors), count ?? 5, ct));
    }

    public async Task<Outcome<PagedList<OccurrenceDto>>> OccurrencesAsync(long id, PageRequest paging, CancellationToken ct)
    {
        var errors = paging.Validate();
        if (!errors.IsValid)
        {
            return new Outcome<PagedList<OccurrenceDto>>.Invalid(errors);
        }
        if (!await db.Schedules.AnyAsync(s => s.Id == id, ct))
        {
            return new Outcome<PagedList<OccurrenceDto>>.NotFound(id);
        }
        var query = db.Occurrences.AsNoTracking().Where(o => o.ScheduleId == id).OrderByDescending(o => o.ScheduledFor)
            .Select(o => new OccurrenceDto(o.Id, o.ScheduleId, o.ScheduledFor, o.Status, o.RunId, o.Reason, o.RecordedAt));
        return new Outcome<PagedList<OccurrenceDto>>.Success(await paging.ToPageAsync(query, ct));
    }

    async Task<SchedulePreview> PreviewAsync(ScheduleTiming timing, string zoneId, IReadOnlyList<string> tags, int count, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var times = timing.Cron is { } cron ? FireTimes.Upcoming(cron, timing.Zone, now, count)
            : timing.RunAtUtc is { } at && at > now ? [at] : [];
        var rules = (await blackouts.RulesAsync(ct)).Where(r => r.AppliesTo(tags)).ToList();
        var items = times.Select(t => new FireTimeDto(t, FireTimes.ToLocal(t, timing.Zone),
            rules.FirstOrDefault(r => r.Covers(t)) is { } r ? new SkippedBy(r.Id, r.Name) : null)).ToList();
        return new SchedulePreview(zoneId, items);
    }

    static ValidationErrors CheckCount(int? count)
    {
        var errors = new ValidationErrors();
        if (count is < 1 or > MaxPreview)
        {
            errors.Add("count", $"count must be between 1 and {MaxPreview}.");
        }
        return errors;
    }

    void Apply(Schedule schedule, Valid valid, string actor, DateTimeOffset now)
    {
        var timingChanged = schedule.Cron != valid.Cron || schedule.RunAt != valid.RunAt || schedule.TimeZone != valid.Timezone;
        schedule.JobId = valid.JobId;
        schedule.Cron = valid.Cron;
        schedule.RunAt = valid.RunAt;
        schedule.TimeZone = valid.Timezone;
        schedule.SealedParameters = seal.Seal(valid.Parameters, valid.ContainsSecret);
        schedule.TagsJson = JsonSerializer.Serialize(valid.Tags);
        if (valid.Enabled && (!schedule.Enabled || timingChanged))
        {
            // Enabled again (or given a new time) by a user: the reason it was disabled no longer holds.
            schedule.DisabledReason = null;
        }
        schedule.Enabled = valid.Enabled;
        schedule.NextFireAt = Next(schedule, valid.Timing, now);
        (schedule.UpdatedBy, schedule.UpdatedAt) = (actor, now);
    }

    static DateTimeOffset? Next(Schedule schedule, ScheduleTiming? timing, DateTimeOffset now) =>
        schedule.Enabled && !schedule.Paused ? timing?.NextAfter(now) : null;

    async Task<(Valid? Valid, ValidationErrors Errors)> ValidateAsync(ScheduleRequest request, Schedule? existing, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim();
        errors.Required("name", name, "Name", 200);
        var timing = CheckTiming(request, errors, out var zoneId);
        var tags = NormalizeTags(request.Tags, errors);
        var now = clock.GetUtcNow();
        if (timing?.RunAtUtc is { } at && at <= now && (request.Enabled ?? true) && existing?.RunAt != request.RunAt?.Trim())
        {
            errors.Add("runAt", $"runAt {request.RunAt} ({zoneId}) is in the past.");
        }
        var parameters = request.Parameters ?? [];
        var containsSecret = false;
        if (request.JobId is not { } jobId)
        {
            errors.Add("jobId", "jobId is required.");
        }
        else
        {
            var job = (await jobs.FindJobsAsync([jobId], ct)).GetValueOrDefault(jobId);
            if (job is null)
            {
                errors.Add("jobId", $"Job {jobId} does not exist.");
            }
            else
            {
                // A masked secret keeps its saved value, so a form can send back what it was shown.
                if (existing is not null && existing.JobId == jobId)
                {
                    var saved = seal.Unseal(existing.SealedParameters);
                    parameters = parameters.ToDictionary(p => p.Key, p => job.SecretParameters.Contains(p.Key)
                        && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == ScheduleParameterSeal.Mask
                        && saved.TryGetValue(p.Key, out var kept) ? kept : p.Value);
                }
                var refused = await jobs.ValidateParametersAsync(jobId, parameters, ct);
                foreach (var (field, messages) in refused ?? new Dictionary<string, string[]> { ["jobId"] = [$"Job {jobId} does not exist."] })
                {
                    foreach (var message in messages)
                    {
                        errors.Add(field, message);
                    }
                }
                containsSecret = parameters.Keys.Any(job.SecretParameters.Contains);
            }
        }
        if (!errors.IsValid || timing is null)
        {
            return (null, errors);
        }
        return (new Valid(name!, request.JobId!.Value, request.Cron?.Trim(), timing.Cron is null ? FireTimes.FormatLocal(ParsedRunAt(request)) : null,
            zoneId, timing, parameters, containsSecret, tags, request.Enabled ?? true), errors);
    }

    static DateTime ParsedRunAt(ScheduleRequest request) => FireTimes.TryParseLocal(request.RunAt, out var local) ? local : default;

    /// <summary>The timing of a request: exactly one of cron and runAt, in a known zone.</summary>
    static ScheduleTiming? CheckTiming(ScheduleRequest request, ValidationErrors errors, out string zoneId)
    {
        zoneId = string.IsNullOrWhiteSpace(request.Timezone) ? "UTC" : request.Timezone.Trim();
        var zone = FireTimes.FindZone(zoneId);
        if (zone is null)
        {
            errors.Add("timezone", $"Unknown timezone '{zoneId}': use an IANA name such as Europe/Berlin or UTC.");
        }
        var hasCron = !string.IsNullOrWhiteSpace(request.Cron);
        var hasRunAt = !string.IsNullOrWhiteSpace(request.RunAt);
        if (hasCron == hasRunAt)
        {
            var message = hasCron ? "Give either cron (recurring) or runAt (one time), not both." : "Give cron (recurring) or runAt (one time).";
            errors.Add("cron", message).Add("runAt", message);
            return null;
        }
        if (hasCron)
        {
            var cron = FireTimes.ParseCron(request.Cron, out var error);
            if (cron is null)
            {
                errors.Add("cron", error!);
                return null;
            }
            return zone is null ? null : new ScheduleTiming(cron, null, zone);
        }
        if (!FireTimes.TryParseLocal(request.RunAt, out var local))
        {
            errors.Add("runAt", "runAt is a local date-time without offset, such as 2026-12-24T18:00:00; timezone says where.");
            return null;
        }
        return zone is null ? null : new ScheduleTiming(null, FireTimes.ToUtc(local, zone), zone);
    }

    internal static List<string> NormalizeTags(IReadOnlyList<string>? tags, ValidationErrors errors)
    {
        var result = (tags ?? []).Select(t => t?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
        if (result.Any(t => t.Length is 0 or > 64 || t.Contains('"') || t.Contains('\\')))
        {
            errors.Add("tags", "A tag has 1 to 64 characters, without quotes or backslashes.");
        }
        return result;
    }

    internal static List<string> Tags(Schedule schedule) => Tags(schedule.TagsJson);

    internal static List<string> Tags(string tagsJson) => JsonSerializer.Deserialize<List<string>>(tagsJson) ?? [];

    async Task<List<ScheduleDto>> ToDtosAsync(IReadOnlyList<Schedule> schedules, CancellationToken ct)
    {
        var jobsById = await jobs.FindJobsAsync(schedules.Select(s => s.JobId).Distinct().ToList(), ct);
        var statuses = await jobs.RunStatusesAsync(schedules.Where(s => s.LastRunId is not null).Select(s => s.LastRunId!.Value).ToList(), ct);
        return schedules.Select(s =>
        {
            var job = jobsById.GetValueOrDefault(s.JobId);
            return new ScheduleDto(s.Id, s.Name, s.JobId, job?.Name, s.Cron, s.RunAt, s.TimeZone,
                ScheduleParameterSeal.Masked(seal.Unseal(s.SealedParameters),
                    job?.SecretParameters ?? (ScheduleParameterSeal.IsSealed(s.SealedParameters) ? null : [])), Tags(s), s.Enabled, s.Paused,
                s.DisabledReason, s.NextFireAt, s.LastFireAt, s.LastRunId,
                s.LastRunId is { } run && statuses.TryGetValue(run, out var status) ? status : null,
                s.CreatedBy, s.CreatedAt, s.UpdatedBy, s.UpdatedAt);
        }).ToList();
    }
}
