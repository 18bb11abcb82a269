using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Targets.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostKeyConfirmed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HostKeyConfirmed",
                table: "targets",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HostKeyConfirmed",
                table: "targets");
        }
    }
}
