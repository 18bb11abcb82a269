using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Targets;

public sealed class Target
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case name: unique, and what search and ordering use.</summary>
    public required string NormalizedName { get; set; }
    public required string Hostname { get; set; }
    public int Port { get; set; }
    public OsType OsType { get; set; }
    public ConnectionType Connection { get; set; }
    public long CredentialId { get; set; }
    public string? Description { get; set; }
    public bool WinRmUseHttps { get; set; }
    public bool WinRmVerifyCertificate { get; set; } = true;

    /// <summary>The pinned HTTPS certificate of the WinRM listener (normalized SHA-1 or SHA-256 hex), if any.</summary>
    public string? WinRmCertificateThumbprint { get; set; }

    /// <summary>The trusted SSH host key (<c>SHA256:...</c>), pinned on first successful check or by an operator.</summary>
    public string? PinnedHostKey { get; set; }

    /// <summary>
    /// An operator confirmed the pinned key (gave it at registration or accepted its fingerprint); false for a key pinned on
    /// first use by key authentication. Only a confirmed key ever receives a password.
    /// </summary>
    public bool HostKeyConfirmed { get; set; }

    /// <summary>The host key the last connection attempt saw; what accept-host-key pins after a mismatch.</summary>
    public string? LastSeenHostKey { get; set; }
    public TargetStatus Status { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public int? LatencyMs { get; set; }
    public string? OsName { get; set; }
    public string? OsVersion { get; set; }
    public string? Kernel { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<TargetTag> Tags { get; set; } = [];
}

/// <summary>One tag of a target, stored normalized (trimmed, lower-case) so filters are exact and indexed.</summary>
public sealed class TargetTag
{
    public long TargetId { get; set; }
    public required string Tag { get; set; }
}

/// <summary>A change of a target's status: when it went down, when it came back.</summary>
public sealed class TargetStatusChange
{
    public long Id { get; set; }
    public long TargetId { get; set; }
    public TargetStatus Status { get; set; }
    public TargetStatus PreviousStatus { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public class TargetsDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<TargetTag> Tags => Set<TargetTag>();
    public DbSet<TargetStatusChange> StatusHistory => Set<TargetStatusChange>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Target>(e =>
        {
            e.ToTable("targets");
            e.HasKey(t => t.Id);
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.NormalizedName).HasMaxLength(200);
            e.HasIndex(t => t.NormalizedName).IsUnique();
            e.Property(t => t.Hostname).HasMaxLength(253);
            e.Property(t => t.OsType).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.Connection).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.Status).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(t => t.Status);
            e.HasIndex(t => t.CredentialId);
            e.Property(t => t.Description).HasMaxLength(2000);
            e.Property(t => t.PinnedHostKey).HasMaxLength(100);
            e.Property(t => t.WinRmCertificateThumbprint).HasMaxLength(TargetRules.ThumbprintMaxLength);
            e.Property(t => t.LastSeenHostKey).HasMaxLength(100);
            e.Property(t => t.LastError).HasMaxLength(1000);
            e.Property(t => t.OsName).HasMaxLength(200);
            e.Property(t => t.OsVersion).HasMaxLength(100);
            e.Property(t => t.Kernel).HasMaxLength(200);
            e.HasMany(t => t.Tags).WithOne().HasForeignKey(t => t.TargetId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<TargetTag>(e =>
        {
            e.ToTable("target_tags");
            e.HasKey(t => new { t.TargetId, t.Tag });
            e.Property(t => t.Tag).HasMaxLength(64);
            e.HasIndex(t => t.Tag);
        });
        b.Entity<TargetStatusChange>(e =>
        {
            e.ToTable("target_status_history");
            e.HasKey(h => h.Id);
            e.HasIndex(h => new { h.TargetId, h.ChangedAt });
            e.Property(h => h.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(h => h.PreviousStatus).HasConversion<string>().HasMaxLength(32);
            e.Property(h => h.Error).HasMaxLength(1000);
            e.HasOne<Target>().WithMany().HasForeignKey(h => h.TargetId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

public sealed class TargetsSqliteDb(DbContextOptions<TargetsSqliteDb> options) : TargetsDb(options);

public sealed class TargetsPostgresDb(DbContextOptions<TargetsPostgresDb> options) : TargetsDb(options);

sealed class TargetsSqliteDesignFactory() : SqliteDesignTimeFactory<TargetsSqliteDb>(TargetsModule.Service);

sealed class TargetsPostgresDesignFactory() : PostgresDesignTimeFactory<TargetsPostgresDb>(TargetsModule.Service);
