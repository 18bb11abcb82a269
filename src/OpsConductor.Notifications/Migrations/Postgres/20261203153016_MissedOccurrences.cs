using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Notifications.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MissedOccurrences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "RunId",
                table: "notifications",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "OccurrenceId",
                table: "notifications",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ScheduleId",
                table: "notifications",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScheduleName",
                table: "notifications",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_JobId_Id",
                table: "notifications",
                columns: new[] { "JobId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_OccurrenceId_RuleKey",
                table: "notifications",
                columns: new[] { "OccurrenceId", "RuleKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_notifications_JobId_Id",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "IX_notifications_OccurrenceId_RuleKey",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "OccurrenceId",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "ScheduleId",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "ScheduleName",
                table: "notifications");

            migrationBuilder.AlterColumn<long>(
                name: "RunId",
                table: "notifications",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
