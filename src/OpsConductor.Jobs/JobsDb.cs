using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Jobs;

public enum RunTrigger
{
    Manual,
    Schedule,
    Api,
}

public sealed class Job
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NormalizedName { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The whole definition as JSON: jobs are documents (and YAML files), not rows of parts.</summary>
    public required string DefinitionJson { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class Run
{
    public long Id { get; set; }
    public long JobId { get; set; }
    public required string JobName { get; set; }
    public RunStatus Status { get; set; }
    public RunTrigger Trigger { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Parameter values as shown to users: secret ones masked.</summary>
    public string ParametersJson { get; set; } = "{}";

    /// <summary>All values for the executor; encrypted (ASP.NET Data Protection) when a secret is among them.</summary>
    public string SealedParameters { get; set; } = "";

    /// <summary>The job definition at the time of the request: later edits do not change a queued run.</summary>
    public required string JobSnapshotJson { get; set; }

    /// <summary>Set for a re-run of failed targets only, or a run on targets the request chose: exactly these targets.</summary>
    public string? TargetIdsOverrideJson { get; set; }
    public long? RerunOf { get; set; }
    public bool AllowConcurrentRuns { get; set; } = true;
    public string? WaitReason { get; set; }
    public string? Error { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>The user name of whoever asked first to cancel the run; null while nobody did.</summary>
    public string? CancelledBy { get; set; }
    public bool AnyTargetStarted { get; set; }

    /// <summary>Set for a run the scheduler started: the schedule and the occurrence (UTC) it is for; unique together.</summary>
    public long? ScheduleId { get; set; }
    public string? ScheduleName { get; set; }
    public DateTimeOffset? ScheduledFor { get; set; }
}

public sealed class RunTarget
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long TargetId { get; set; }
    public string TargetName { get; set; } = "";
    public string Hostname { get; set; } = "";
    public RunStatus Status { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}

public sealed class RunStep
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long TargetId { get; set; }
    public int StepIndex { get; set; }
    public string Name { get; set; } = "";
    public RunStatus Status { get; set; }
    public int? ExitCode { get; set; }
    public string Stdout { get; set; } = "";
    public string Stderr { get; set; } = "";
    public bool OutputTruncated { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// One event of a run, in order: what the SSE stream replays and <c>GET /runs/{id}</c> reads the live output from.
/// <see cref="Kind"/> is the <see cref="RunEventKinds"/> value and <see cref="Text"/> the <see cref="RunStreamEvent"/> as
/// JSON (<see cref="RunEventCodec"/>); <see cref="TargetId"/> and <see cref="StepIndex"/> repeat the event's own, for queries.
/// </summary>
public sealed class RunEvent
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Kind { get; set; }
    public long? TargetId { get; set; }
    public int? StepIndex { get; set; }

    /// <summary>Set only on rows of the older one-line-per-row format: <see cref="Text"/> is then one raw line of this stream.</summary>
    public OutputStream? Stream { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A run status change that may cause notifications, written in the transaction of the change (never lost); the
/// notifications service claims it under a lease and deletes it once it has recorded what it causes.
/// </summary>
public sealed class RunOutboxRow
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public NotificationEvent Event { get; set; }
    public DateTimeOffset At { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public static RunOutboxRow For(long runId, RunStatus status, DateTimeOffset at) =>
        new() { RunId = runId, Event = NotificationEvents.For(status) ?? throw new ArgumentOutOfRangeException(nameof(status)), At = at };
}

public sealed class ExecutorWorker
{
    public required string Id { get; set; }
    public string Host { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastHeartbeat { get; set; }
    public int RunningRuns { get; set; }
    public int Capacity { get; set; }
}

public class JobsDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunTarget> RunTargets => Set<RunTarget>();
    public DbSet<RunStep> RunSteps => Set<RunStep>();
    public DbSet<RunEvent> RunEvents => Set<RunEvent>();
    public DbSet<ExecutorWorker> Workers => Set<ExecutorWorker>();
    public DbSet<RunOutboxRow> RunOutbox => Set<RunOutboxRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<RunStatus>().HaveConversion<SnakeCaseEnumConverter<RunStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<RunTrigger>().HaveConversion<SnakeCaseEnumConverter<RunTrigger>>().HaveMaxLength(16);
        configurationBuilder.Properties<OutputStream>().HaveConversion<SnakeCaseEnumConverter<OutputStream>>().HaveMaxLength(8);
        configurationBuilder.Properties<NotificationEvent>().HaveConversion<SnakeCaseEnumConverter<NotificationEvent>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Job>(e =>
        {
            e.ToTable("jobs");
            e.Property(j => j.Name).HasMaxLength(200);
            e.Property(j => j.NormalizedName).HasMaxLength(200);
            e.HasIndex(j => j.NormalizedName).IsUnique();
        });
        b.Entity<Run>(e =>
        {
            e.ToTable("job_runs");
            e.HasIndex(r => new { r.Status, r.Id });
            e.HasIndex(r => new { r.JobId, r.Id });
            e.HasIndex(r => r.QueuedAt);
            e.Property(r => r.JobName).HasMaxLength(200);
            e.Property(r => r.ScheduleName).HasMaxLength(200);
            // One run per schedule occurrence, however often the scheduler asks: the guarantee behind exactly once.
            e.HasIndex(r => new { r.ScheduleId, r.ScheduledFor }).IsUnique();
        });
        b.Entity<RunTarget>(e =>
        {
            e.ToTable("job_run_targets");
            e.HasIndex(t => new { t.RunId, t.TargetId }).IsUnique();
            // GET /runs?targetId= (a target's history): the target's runs newest first, without reading every run.
            e.HasIndex(t => new { t.TargetId, t.RunId });
        });
        b.Entity<RunStep>(e =>
        {
            e.ToTable("job_run_steps");
            e.HasIndex(s => new { s.RunId, s.TargetId, s.StepIndex }).IsUnique();
        });
        b.Entity<RunEvent>(e =>
        {
            e.ToTable("job_run_events");
            e.HasIndex(ev => new { ev.RunId, ev.Id });
            e.Property(ev => ev.Kind).HasMaxLength(16);
            e.Property(ev => ev.Stream).HasMaxLength(8);
        });
        b.Entity<RunOutboxRow>(e =>
        {
            e.ToTable("run_outbox");
            e.HasIndex(o => o.LeaseExpiresAt);
            e.Property(o => o.LeaseOwner).HasMaxLength(100);
        });
        b.Entity<ExecutorWorker>(e =>
        {
            e.ToTable("executor_workers");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).HasMaxLength(100);
        });
    }
}

public sealed class JobsSqliteDb(DbContextOptions<JobsSqliteDb> options) : JobsDb(options);

public sealed class JobsPostgresDb(DbContextOptions<JobsPostgresDb> options) : JobsDb(options);

sealed class JobsSqliteDesignFactory() : SqliteDesignTimeFactory<JobsSqliteDb>(JobsModule.Service);

sealed class JobsPostgresDesignFactory() : PostgresDesignTimeFactory<JobsPostgresDb>(JobsModule.Service);
