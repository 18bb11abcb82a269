using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Scheduler.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MissedOccurrenceOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schedule_outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OccurrenceId = table.Column<long>(type: "INTEGER", nullable: false),
                    MissedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseExpiresAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedule_outbox", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_schedule_outbox_LeaseExpiresAt",
                table: "schedule_outbox",
                column: "LeaseExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedule_outbox");
        }
    }
}
