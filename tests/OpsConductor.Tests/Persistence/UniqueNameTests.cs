using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpsConductor.Shared.Persistence;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Persistence;

/// <summary>The unique-violation mapping against the real provider under test (SQLite file, or PostgreSQL).</summary>
public sealed class UniqueNameTests
{
    [Fact]
    public async Task A_duplicate_name_is_refused_and_the_first_row_stays()
    {
        await using var db = await NamedThings.CreateAsync();
        db.Things.Add(new NamedThing { Name = "alpha", Note = "first" });
        Assert.True(await UniqueName.TrySaveAsync(db, CancellationToken.None));

        db.ChangeTracker.Clear();
        db.Things.Add(new NamedThing { Name = "alpha", Note = "second" });
        Assert.False(await UniqueName.TrySaveAsync(db, CancellationToken.None)); // the services answer 409 (JobDefinitionTests)
        db.ChangeTracker.Clear();
        Assert.Equal("first", (await db.Things.SingleAsync()).Note);
    }

    [Fact]
    public async Task Another_constraint_failure_is_not_mistaken_for_a_taken_name()
    {
        await using var db = await NamedThings.CreateAsync();
        db.Things.Add(new NamedThing { Name = "beta", Note = null! }); // NOT NULL, not unique: a bug, so a 500

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => UniqueName.TrySaveAsync(db, CancellationToken.None));
        Assert.False(UniqueName.IsViolation(failure));
    }

    sealed class NamedThing
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Note { get; set; } = "";
    }

    sealed class NamedThings(DbContextOptions<NamedThings> options) : DbContext(options)
    {
        public DbSet<NamedThing> Things => Set<NamedThing>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<NamedThing>(e =>
            {
                e.HasIndex(t => t.Name).IsUnique();
                e.Property(t => t.Note).IsRequired();
            });

        public static async Task<NamedThings> CreateAsync()
        {
            var settings = await TestDatabase.NewAsync();
            var options = new DbContextOptionsBuilder<NamedThings>();
            if (TestDatabase.IsPostgres)
            {
                options.UseNpgsql(settings["ConnectionStrings__OpsConductor"]);
            }
            else
            {
                var file = Path.Combine(Directory.CreateTempSubdirectory("opsc-unique-").FullName, "things.db");
                options.UseSqlite($"Data Source={file}");
            }
            var db = new NamedThings(options.Options);
            await db.Database.EnsureCreatedAsync();
            return db;
        }
    }
}
