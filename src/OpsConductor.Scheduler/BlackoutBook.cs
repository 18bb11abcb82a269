using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Scheduler;

/// <summary>The rules of blackout windows: named, one-off periods or a recurring cron start with a duration, in a zone.</summary>
public sealed class BlackoutBook(SchedulerDb db, ScheduleLookahead lookahead, SchedulerGate gate, TimeProvider clock)
{
    public const int MaxCalendarDays = 366;

    public async Task<IReadOnlyList<BlackoutRule>> RulesAsync(CancellationToken ct) =>
        (await db.BlackoutWindows.AsNoTracking().ToListAsync(ct)).Select(BlackoutRule.From).OfType<BlackoutRule>().ToList();

    public async Task<PagedList<BlackoutWindowDto>> ListAsync(PageRequest paging, CancellationToken ct) =>
        await paging.ToPageAsync(db.BlackoutWindows.AsNoTracking().OrderBy(w => w.NormalizedName), ToDto, ct);

    public async Task<BlackoutWindowDto?> GetAsync(long id, CancellationToken ct) =>
        await db.BlackoutWindows.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct) is { } w ? ToDto(w) : null;

    public async Task<Outcome<BlackoutWindowDto>> CreateAsync(BlackoutWindowRequest request, string actor, CancellationToken ct)
    {
        var errors = Validate(request, out var tags);
        if (!errors.IsValid)
        {
            return new Outcome<BlackoutWindowDto>.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        var name = request.Name!.Trim();
        var window = new BlackoutWindow { Name = name, NormalizedName = name.ToLowerInvariant(), CreatedBy = actor, CreatedAt = now };
        Apply(window, request, tags, now);
        db.BlackoutWindows.Add(window);
        return await SavedAsync(window, name, [], ct);
    }

    public async Task<Outcome<BlackoutWindowDto>> UpdateAsync(long id, BlackoutWindowRequest request, CancellationToken ct)
    {
        var errors = Validate(request, out var tags);
        if (!errors.IsValid)
        {
            return new Outcome<BlackoutWindowDto>.Invalid(errors);
        }
        var window = await db.BlackoutWindows.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (window is null)
        {
            return new Outcome<BlackoutWindowDto>.NotFound(id);
        }
        var name = request.Name!.Trim();
        var before = WindowTags(window);
        (window.Name, window.NormalizedName) = (name, name.ToLowerInvariant());
        Apply(window, request, tags, clock.GetUtcNow());
        return await SavedAsync(window, name, [before], ct);
    }

    /// <summary>
    /// Saves a created or changed window; then what was planned ahead under the old rules, for the schedules the window
    /// covers (or covered: <paramref name="before"/>), is planned again.
    /// </summary>
    async Task<Outcome<BlackoutWindowDto>> SavedAsync(BlackoutWindow window, string name, IReadOnlyList<IReadOnlyCollection<string>> before,
        CancellationToken ct)
    {
        await using var change = await gate.ChangeAsync(db, ct);
        if (!await UniqueName.TrySaveAsync(db, ct))
        {
            return new Outcome<BlackoutWindowDto>.Conflict($"A blackout window named '{name}' exists already.");
        }
        await lookahead.WithdrawCoveredAsync([.. before, WindowTags(window)], ct);
        await change.CommitAsync(ct);
        return new Outcome<BlackoutWindowDto>.Success(ToDto(window));
    }

    public async Task<Outcome<long>> DeleteAsync(long id, CancellationToken ct)
    {
        var window = await db.BlackoutWindows.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (window is null)
        {
            return new Outcome<long>.NotFound(id);
        }
        await using var change = await gate.ChangeAsync(db, ct);
        if (await db.BlackoutWindows.Where(w => w.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return new Outcome<long>.NotFound(id);
        }
        await lookahead.WithdrawCoveredAsync([WindowTags(window)], ct);
        await change.CommitAsync(ct);
        return new Outcome<long>.Success(id);
    }

    static List<string> WindowTags(BlackoutWindow window) => JsonSerializer.Deserialize<List<string>>(window.TagsJson) ?? [];

    public async Task<Outcome<BlackoutCalendar>> CalendarAsync(int? days, CancellationToken ct)
    {
        var span = days ?? 30;
        if (span is < 1 or > MaxCalendarDays)
        {
            return new Outcome<BlackoutCalendar>.Invalid(new ValidationErrors().Add("days", $"days must be between 1 and {MaxCalendarDays}."));
        }
        var from = clock.GetUtcNow();
        var to = from.AddDays(span);
        var windows = (await RulesAsync(ct)).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new BlackoutCalendarWindow(r.Id, r.Name, r.Zone.Id, r.Tags.Order().ToList(), r.Intervals(from, to))).ToList();
        return new Outcome<BlackoutCalendar>.Success(new BlackoutCalendar(from, to, windows));
    }

    /// <summary>The first window that refuses manual runs of a job whose schedules carry these tags right now, or null.</summary>
    public async Task<BlackoutRule?> ManualRunBlockedAsync(IReadOnlyCollection<string> tags, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return (await RulesAsync(ct)).FirstOrDefault(r => r.AppliesToManualRuns && r.AppliesTo(tags) && r.Covers(now));
    }

    static ValidationErrors Validate(BlackoutWindowRequest request, out List<string> tags)
    {
        var errors = new ValidationErrors();
        errors.Required("name", request.Name?.Trim(), "Name", 200);
        var zoneId = string.IsNullOrWhiteSpace(request.Timezone) ? "UTC" : request.Timezone.Trim();
        if (FireTimes.FindZone(zoneId) is null)
        {
            errors.Add("timezone", $"Unknown timezone '{zoneId}': use an IANA name such as Europe/Berlin or UTC.");
        }
        var hasPeriods = request.Periods is { Count: > 0 };
        var hasCron = !string.IsNullOrWhiteSpace(request.Cron);
        if (hasPeriods == hasCron)
        {
            var message = hasCron ? "Give either periods (one-off) or cron with durationMinutes (recurring), not both."
                : "Give periods (one-off) or cron with durationMinutes (recurring).";
            errors.Add("periods", message).Add("cron", message);
        }
        if (hasCron)
        {
            if (FireTimes.ParseCron(request.Cron, out var error) is null)
            {
                errors.Add("cron", error!);
            }
            if (request.DurationMinutes is not (>= 1 and <= 366 * 24 * 60))
            {
                errors.Add("durationMinutes", "durationMinutes is required with cron: 1 to 527040 (a year).");
            }
        }
        else if (request.DurationMinutes is not null)
        {
            errors.Add("durationMinutes", "durationMinutes goes with cron; a period has its own end.");
        }
        for (var i = 0; i < (request.Periods?.Count ?? 0); i++)
        {
            var p = request.Periods![i];
            var startOk = FireTimes.TryParseLocal(p.Start, out var start);
            var endOk = FireTimes.TryParseLocal(p.End, out var end);
            if (!startOk)
            {
                errors.Add($"periods[{i}].start", "start is a local date-time without offset, such as 2026-12-20T00:00:00.");
            }
            if (!endOk)
            {
                errors.Add($"periods[{i}].end", "end is a local date-time without offset, such as 2027-01-04T00:00:00.");
            }
            if (startOk && endOk && end <= start)
            {
                errors.Add($"periods[{i}].end", "end must be after start.");
            }
        }
        tags = ScheduleBook.NormalizeTags(request.Tags, errors);
        return errors;
    }

    static void Apply(BlackoutWindow window, BlackoutWindowRequest request, List<string> tags, DateTimeOffset now)
    {
        window.TimeZone = string.IsNullOrWhiteSpace(request.Timezone) ? "UTC" : request.Timezone.Trim();
        var periods = request.Periods is { Count: > 0 } given
            ? given.Select(p => new BlackoutPeriod(Normalize(p.Start), Normalize(p.End))).ToList()
            : null;
        window.PeriodsJson = periods is null ? null : JsonSerializer.Serialize(periods);
        window.Cron = periods is null ? request.Cron!.Trim() : null;
        window.DurationMinutes = periods is null ? request.DurationMinutes : null;
        window.TagsJson = JsonSerializer.Serialize(tags);
        window.AppliesToManualRuns = request.AppliesToManualRuns;
        window.UpdatedAt = now;
    }

    static string Normalize(string? local) => FireTimes.TryParseLocal(local, out var t) ? FireTimes.FormatLocal(t) : "";

    static BlackoutWindowDto ToDto(BlackoutWindow w) => new(w.Id, w.Name, w.TimeZone,
        w.PeriodsJson is null ? null : JsonSerializer.Deserialize<List<BlackoutPeriod>>(w.PeriodsJson), w.Cron, w.DurationMinutes,
        WindowTags(w), w.AppliesToManualRuns, w.CreatedBy, w.CreatedAt, w.UpdatedAt);
}
