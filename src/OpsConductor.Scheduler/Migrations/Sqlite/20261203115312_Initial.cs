using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Scheduler.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blackout_windows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PeriodsJson = table.Column<string>(type: "TEXT", nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DurationMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    TagsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AppliesToManualRuns = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blackout_windows", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "schedule_occurrences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScheduleId = table.Column<long>(type: "INTEGER", nullable: false),
                    ScheduledFor = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedule_occurrences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RunAt = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SealedParameters = table.Column<string>(type: "TEXT", nullable: false),
                    TagsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    DisabledReason = table.Column<string>(type: "TEXT", nullable: true),
                    NextFireAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastFireAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastRunId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_blackout_windows_NormalizedName",
                table: "blackout_windows",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_schedule_occurrences_ScheduleId_ScheduledFor",
                table: "schedule_occurrences",
                columns: new[] { "ScheduleId", "ScheduledFor" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_schedule_occurrences_Status_RecordedAt",
                table: "schedule_occurrences",
                columns: new[] { "Status", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_schedules_Enabled_Paused_NextFireAt",
                table: "schedules",
                columns: new[] { "Enabled", "Paused", "NextFireAt" });

            migrationBuilder.CreateIndex(
                name: "IX_schedules_JobId",
                table: "schedules",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_schedules_NormalizedName",
                table: "schedules",
                column: "NormalizedName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blackout_windows");

            migrationBuilder.DropTable(
                name: "schedule_occurrences");

            migrationBuilder.DropTable(
                name: "schedules");
        }
    }
}
