using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Persistence;
using OpsConductor.Shared.Security;

namespace OpsConductor.Users;

public sealed class User
{
    public long Id { get; set; }
    public required string Username { get; set; }

    /// <summary>Lower-case username: unique, and what sign-in looks up.</summary>
    public required string NormalizedUsername { get; set; }
    public string Email { get; set; } = "";
    public string FullName { get; set; } = "";
    public Role Role { get; set; }
    public required string PasswordHash { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset PasswordChangedAt { get; set; }

    /// <summary>The password was generated or set by an admin: cleared when the user changes it themself.</summary>
    public bool MustChangePassword { get; set; }
}

public class UsersDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<User> Users => Set<User>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Username).HasMaxLength(64);
            e.Property(u => u.NormalizedUsername).HasMaxLength(64);
            e.HasIndex(u => u.NormalizedUsername).IsUnique();
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.FullName).HasMaxLength(200);
            e.Property(u => u.Role).HasConversion(r => r.ToClaim(), s => Roles.Parse(s)).HasMaxLength(16);
            e.Property(u => u.PasswordHash).HasMaxLength(100);
        });
    }
}

public sealed class UsersSqliteDb(DbContextOptions<UsersSqliteDb> options) : UsersDb(options);

public sealed class UsersPostgresDb(DbContextOptions<UsersPostgresDb> options) : UsersDb(options);

sealed class UsersSqliteDesignFactory() : SqliteDesignTimeFactory<UsersSqliteDb>(UsersModule.Service);

sealed class UsersPostgresDesignFactory() : PostgresDesignTimeFactory<UsersPostgresDb>(UsersModule.Service);
