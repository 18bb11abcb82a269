using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Scheduler;

public enum OccurrenceStatus
{
    /// <summary>Claimed (recorded, next fire time advanced) but its run not confirmed yet: retried until it is.</summary>
    Pending,
    Fired,
    Skipped,
    Missed,
    Failed,
}

public sealed class Schedule
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public long JobId { get; set; }
    public string? Cron { get; set; }

    /// <summary>A one-time schedule's local date-time (<c>yyyy-MM-ddTHH:mm:ss</c>) in <see cref="TimeZone"/>.</summary>
    public string? RunAt { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Parameter values as JSON; encrypted (ASP.NET Data Protection) when one of them is a secret parameter's.</summary>
    public string SealedParameters { get; set; } = "";
    public string TagsJson { get; set; } = "[]";
    public bool Enabled { get; set; } = true;
    public bool Paused { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset? NextFireAt { get; set; }
    public DateTimeOffset? LastFireAt { get; set; }
    public long? LastRunId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class Occurrence
{
    public long Id { get; set; }
    public long ScheduleId { get; set; }
    public DateTimeOffset ScheduledFor { get; set; }
    public OccurrenceStatus Status { get; set; }
    public long? RunId { get; set; }

    /// <summary>Why it was skipped (the blackout window's name), missed or failed.</summary>
    public string? Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// A schedule's missed occurrences of one claim, waiting to be turned into notifications: written in the claim's
/// transaction (never lost); the notifications service claims it under a lease and deletes it once it has recorded
/// the messages (see <see cref="Shared.Contracts.IMissedOccurrenceOutbox"/>).
/// </summary>
public sealed class ScheduleOutboxRow
{
    public long Id { get; set; }

    /// <summary>The newest occurrence of the claim that was recorded missed.</summary>
    public long OccurrenceId { get; set; }
    public int MissedCount { get; set; }
    public DateTimeOffset At { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}

public sealed class BlackoutWindow
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>One-off periods as JSON <c>[{start, end}]</c> of local date-times; or null for a recurring window.</summary>
    public string? PeriodsJson { get; set; }
    public string? Cron { get; set; }
    public int? DurationMinutes { get; set; }
    public string TagsJson { get; set; } = "[]";
    public bool AppliesToManualRuns { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class SchedulerDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<Occurrence> Occurrences => Set<Occurrence>();
    public DbSet<BlackoutWindow> BlackoutWindows => Set<BlackoutWindow>();
    public DbSet<ScheduleOutboxRow> Outbox => Set<ScheduleOutboxRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<OccurrenceStatus>().HaveConversion<SnakeCaseEnumConverter<OccurrenceStatus>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Schedule>(e =>
        {
            e.ToTable("schedules");
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.NormalizedName).HasMaxLength(200);
            e.HasIndex(s => s.NormalizedName).IsUnique();
            e.Property(s => s.Cron).HasMaxLength(200);
            e.Property(s => s.RunAt).HasMaxLength(32);
            e.Property(s => s.TimeZone).HasMaxLength(100);
            e.HasIndex(s => s.JobId);
            e.HasIndex(s => new { s.Enabled, s.Paused, s.NextFireAt });
        });
        b.Entity<Occurrence>(e =>
        {
            e.ToTable("schedule_occurrences");
            // The claim inserts these rows: one row per occurrence, whichever scheduler process claims it.
            e.HasIndex(o => new { o.ScheduleId, o.ScheduledFor }).IsUnique();
            e.HasIndex(o => new { o.Status, o.RecordedAt });
            e.Property(o => o.Reason).HasMaxLength(2000);
        });
        b.Entity<ScheduleOutboxRow>(e =>
        {
            e.ToTable("schedule_outbox");
            e.HasIndex(o => o.LeaseExpiresAt);
            e.Property(o => o.LeaseOwner).HasMaxLength(100);
        });
        b.Entity<BlackoutWindow>(e =>
        {
            e.ToTable("blackout_windows");
            e.Property(w => w.Name).HasMaxLength(200);
            e.Property(w => w.NormalizedName).HasMaxLength(200);
            e.HasIndex(w => w.NormalizedName).IsUnique();
            e.Property(w => w.Cron).HasMaxLength(200);
            e.Property(w => w.TimeZone).HasMaxLength(100);
        });
    }
}

public sealed class SchedulerSqliteDb(DbContextOptions<SchedulerSqliteDb> options) : SchedulerDb(options);

public sealed class SchedulerPostgresDb(DbContextOptions<SchedulerPostgresDb> options) : SchedulerDb(options);

sealed class SchedulerSqliteDesignFactory() : SqliteDesignTimeFactory<SchedulerSqliteDb>(SchedulerModule.Service);

sealed class SchedulerPostgresDesignFactory() : PostgresDesignTimeFactory<SchedulerPostgresDb>(SchedulerModule.Service);
