using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Jobs.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RunCancelledBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancelledBy",
                table: "job_runs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelledBy",
                table: "job_runs");
        }
    }
}
