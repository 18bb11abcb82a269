using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Jobs.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScheduleName",
                table: "job_runs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ScheduledFor",
                table: "job_runs",
                type: "timestamp with time zone",
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
