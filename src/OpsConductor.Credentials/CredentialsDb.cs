using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Credentials;

public sealed class Credential
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case name: unique.</summary>
    public required string NormalizedName { get; set; }
    public CredentialType Type { get; set; }
    public string? Description { get; set; }
    public string? Username { get; set; }
    public string? Domain { get; set; }
    public WinRmAuthentication? WinRmAuthentication { get; set; }

    /// <summary>The version of the secret in use; older versions stay in <see cref="StoredSecret"/> rows.</summary>
    public int SecretVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
}

/// <summary>One encrypted version of a credential's secret; every version is kept, none is readable through the API.</summary>
public sealed class StoredSecret
{
    public long Id { get; set; }
    public long CredentialId { get; set; }
    public int Version { get; set; }
    public required string KeyId { get; set; }
    public required byte[] Ciphertext { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One read of a decrypted secret: who, why, for which run. Kept when the credential is deleted.</summary>
public sealed class SecretAccessRecord
{
    public long Id { get; set; }
    public long CredentialId { get; set; }
    public int Version { get; set; }
    public required string Service { get; set; }
    public required string Purpose { get; set; }
    public long? RunId { get; set; }
    public string? Actor { get; set; }
    public DateTimeOffset AccessedAt { get; set; }
}

public class CredentialsDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();
    public DbSet<SecretAccessRecord> AccessLog => Set<SecretAccessRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Credential>(e =>
        {
            e.ToTable("credentials");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.NormalizedName).HasMaxLength(200);
            e.HasIndex(c => c.NormalizedName).IsUnique();
            e.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(c => c.Type);
            e.Property(c => c.Description).HasMaxLength(2000);
            e.Property(c => c.Username).HasMaxLength(256);
            e.Property(c => c.Domain).HasMaxLength(256);
            e.Property(c => c.WinRmAuthentication).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<StoredSecret>(e =>
        {
            e.ToTable("credential_secrets");
            e.HasKey(s => s.Id);
            e.HasIndex(s => new { s.CredentialId, s.Version }).IsUnique();
            e.HasOne<Credential>().WithMany().HasForeignKey(s => s.CredentialId).OnDelete(DeleteBehavior.Cascade);
            e.Property(s => s.KeyId).HasMaxLength(40);
            e.HasIndex(s => s.KeyId);
        });
        b.Entity<SecretAccessRecord>(e =>
        {
            e.ToTable("credential_access_log");
            e.HasKey(a => a.Id);
            e.HasIndex(a => new { a.CredentialId, a.AccessedAt });
            e.Property(a => a.Service).HasMaxLength(64);
            e.Property(a => a.Purpose).HasMaxLength(200);
            e.Property(a => a.Actor).HasMaxLength(200);
        });
    }
}

public sealed class CredentialsSqliteDb(DbContextOptions<CredentialsSqliteDb> options) : CredentialsDb(options);

public sealed class CredentialsPostgresDb(DbContextOptions<CredentialsPostgresDb> options) : CredentialsDb(options);

sealed class CredentialsSqliteDesignFactory() : SqliteDesignTimeFactory<CredentialsSqliteDb>(CredentialsModule.Service);

sealed class CredentialsPostgresDesignFactory() : PostgresDesignTimeFactory<CredentialsPostgresDb>(CredentialsModule.Service);
