using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Jobs.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunTargetsByTarget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_job_run_targets_TargetId_RunId",
                table: "job_run_targets",
                columns: new[] { "TargetId", "RunId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_job_run_targets_TargetId_RunId",
                table: "job_run_targets");
        }
    }
}
