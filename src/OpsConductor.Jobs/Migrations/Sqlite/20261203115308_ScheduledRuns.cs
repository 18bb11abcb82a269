using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Jobs.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScheduledRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ScheduleId",
                table: "job_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScheduleName",
                table: "job_runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ScheduledFor",
                table: "job_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_ScheduleId_ScheduledFor",
                table: "job_runs",
                columns: new[] { "ScheduleId", "ScheduledFor" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_job_runs_ScheduleId_ScheduledFor",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "ScheduleId",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "ScheduleName",
                table: "job_runs");

            migrationBuilder.DropColumn(
                name: "ScheduledFor",
                table: "job_runs");
        }
    }
}
