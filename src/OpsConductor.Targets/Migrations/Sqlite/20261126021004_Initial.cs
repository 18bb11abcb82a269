using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Targets.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "targets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    OsType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Connection = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CredentialId = table.Column<long>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    WinRmUseHttps = table.Column<bool>(type: "INTEGER", nullable: false),
                    WinRmVerifyCertificate = table.Column<bool>(type: "INTEGER", nullable: false),
                    PinnedHostKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LastSeenHostKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StatusChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LatencyMs = table.Column<int>(type: "INTEGER", nullable: true),
                    OsName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    OsVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Kernel = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_targets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "target_status_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PreviousStatus = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_status_history", x => x.Id);
                    table.ForeignKey(
                        name: "FK_target_status_history_targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "target_tags",
                columns: table => new
                {
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_target_tags", x => new { x.TargetId, x.Tag });
                    table.ForeignKey(
                        name: "FK_target_tags_targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_target_status_history_TargetId_ChangedAt",
                table: "target_status_history",
                columns: new[] { "TargetId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_target_tags_Tag",
                table: "target_tags",
                column: "Tag");

            migrationBuilder.CreateIndex(
                name: "IX_targets_CredentialId",
                table: "targets",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_targets_NormalizedName",
                table: "targets",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_targets_Status",
                table: "targets",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "target_status_history");

            migrationBuilder.DropTable(
                name: "target_tags");

            migrationBuilder.DropTable(
                name: "targets");
        }
    }
}
