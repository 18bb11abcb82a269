using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Targets.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WinRmCertificateThumbprint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "WinRmCertificateThumbprint",
                table: "targets",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "WinRmCertificateThumbprint",
                table: "targets");
        }
    }
}
