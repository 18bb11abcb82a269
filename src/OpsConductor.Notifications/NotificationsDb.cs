using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Notifications;

public enum SmtpSecurity
{
    /// <summary>Plain SMTP: no TLS, not even when the server offers STARTTLS.</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (refused if the server does not offer it); usually port 587.</summary>
    Starttls,

    /// <summary>TLS from the first byte (implicit TLS, "SMTPS"); usually port 465.</summary>
    Tls,
}

public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>The SMTP server notifications go through (one row). The password is sealed by the credentials service's master key.</summary>
public sealed class SmtpSettingsRow
{
    public int Id { get; set; } = 1;
    public required string Host { get; set; }
    public int Port { get; set; }
    public SmtpSecurity Security { get; set; }
    public string? Username { get; set; }
    public string? SealedPassword { get; set; }
    public required string FromAddress { get; set; }
    public string FromName { get; set; } = "";
    public bool AllowInvalidCertificate { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>The admins' rule that applies to every job's runs (one row): these events to these recipients.</summary>
public sealed class DefaultRuleRow
{
    public int Id { get; set; } = 1;
    public string EventsJson { get; set; } = "[]";
    public string RecipientsJson { get; set; } = "[]";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>An admin's template for one event; an event without a row uses the built-in <see cref="DefaultTemplates"/>.</summary>
public sealed class TemplateRow
{
    public NotificationEvent Event { get; set; }
    public required string Subject { get; set; }
    public required string Html { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>
/// One message for one event of one run under one rule (<see cref="RuleKey"/>: <c>job:{index}</c> or <c>default</c>),
/// or for one schedule's missed occurrence (<see cref="OccurrenceId"/>, no run), rendered when it was created; the unique
/// (run, event, rule) and (occurrence, rule) keys make creating it again a no-op.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long? RunId { get; set; }

    /// <summary>The missed occurrence (the newest of its round) a <c>missed</c> message is about.</summary>
    public long? OccurrenceId { get; set; }
    public long? ScheduleId { get; set; }
    public string? ScheduleName { get; set; }
    public long JobId { get; set; }
    public string JobName { get; set; } = "";
    public NotificationEvent Event { get; set; }
    public required string RuleKey { get; set; }
    public string RecipientsJson { get; set; } = "[]";
    public string Subject { get; set; } = "";
    public string Html { get; set; } = "";
    public string Text { get; set; } = "";
    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}

/// <summary>One try to hand a notification to the SMTP server, with what the server (or the connection) answered.</summary>
public sealed class NotificationAttempt
{
    public long Id { get; set; }
    public long NotificationId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Success { get; set; }
    public string Response { get; set; } = "";
}

public class NotificationsDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<SmtpSettingsRow> Smtp => Set<SmtpSettingsRow>();
    public DbSet<DefaultRuleRow> DefaultRule => Set<DefaultRuleRow>();
    public DbSet<TemplateRow> Templates => Set<TemplateRow>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationAttempt> Attempts => Set<NotificationAttempt>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<NotificationEvent>().HaveConversion<SnakeCaseEnumConverter<NotificationEvent>>().HaveMaxLength(16);
        configurationBuilder.Properties<NotificationStatus>().HaveConversion<SnakeCaseEnumConverter<NotificationStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<SmtpSecurity>().HaveConversion<SnakeCaseEnumConverter<SmtpSecurity>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<SmtpSettingsRow>(e =>
        {
            e.ToTable("notification_smtp");
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Host).HasMaxLength(255);
            e.Property(s => s.Username).HasMaxLength(255);
            e.Property(s => s.FromAddress).HasMaxLength(254);
            e.Property(s => s.FromName).HasMaxLength(200);
        });
        b.Entity<DefaultRuleRow>(e =>
        {
            e.ToTable("notification_default_rule");
            e.Property(s => s.Id).ValueGeneratedNever();
        });
        b.Entity<TemplateRow>(e =>
        {
            e.ToTable("notification_templates");
            e.HasKey(t => t.Event);
        });
        b.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.Property(n => n.RuleKey).HasMaxLength(32);
            e.Property(n => n.JobName).HasMaxLength(200);
            e.Property(n => n.LeaseOwner).HasMaxLength(100);
            e.Property(n => n.ScheduleName).HasMaxLength(200);
            e.HasIndex(n => new { n.RunId, n.Event, n.RuleKey }).IsUnique();
            e.HasIndex(n => new { n.OccurrenceId, n.RuleKey }).IsUnique();
            e.HasIndex(n => new { n.JobId, n.Id });
            e.HasIndex(n => new { n.Status, n.NextAttemptAt });
        });
        b.Entity<NotificationAttempt>(e =>
        {
            e.ToTable("notification_attempts");
            e.HasIndex(a => new { a.NotificationId, a.Id });
        });
    }
}

public sealed class NotificationsSqliteDb(DbContextOptions<NotificationsSqliteDb> options) : NotificationsDb(options);

public sealed class NotificationsPostgresDb(DbContextOptions<NotificationsPostgresDb> options) : NotificationsDb(options);

sealed class NotificationsSqliteDesignFactory() : SqliteDesignTimeFactory<NotificationsSqliteDb>(NotificationsModule.Service);

sealed class NotificationsPostgresDesignFactory() : PostgresDesignTimeFactory<NotificationsPostgresDb>(NotificationsModule.Service);
