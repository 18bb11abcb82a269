using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Persistence;

namespace OpsConductor.Auth;

/// <summary>A refresh token, stored as its SHA-256 hash. Tokens of one sign-in form a family that is revoked as a whole.</summary>
public sealed class RefreshToken
{
    public long Id { get; set; }
    public required string TokenHash { get; set; }
    public Guid FamilyId { get; set; }
    public long UserId { get; set; }
    public DateTimeOffset FamilyCreatedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public class AuthDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<RefreshToken>(e =>
        {
            e.ToTable("auth_refresh_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.FamilyId);
            e.HasIndex(t => t.ExpiresAt);
        });
    }
}

public sealed class AuthSqliteDb(DbContextOptions<AuthSqliteDb> options) : AuthDb(options);

public sealed class AuthPostgresDb(DbContextOptions<AuthPostgresDb> options) : AuthDb(options);

sealed class AuthSqliteDesignFactory() : SqliteDesignTimeFactory<AuthSqliteDb>(AuthModule.Service);

sealed class AuthPostgresDesignFactory() : PostgresDesignTimeFactory<AuthPostgresDb>(AuthModule.Service);
