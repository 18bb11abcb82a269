using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpsConductor.Jobs.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "executor_workers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Host = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHeartbeat = table.Column<long>(type: "INTEGER", nullable: false),
                    RunningRuns = table.Column<int>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_executor_workers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_run_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: true),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: true),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_run_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_run_steps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExitCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Stdout = table.Column<string>(type: "TEXT", nullable: false),
                    Stderr = table.Column<string>(type: "TEXT", nullable: false),
                    OutputTruncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_run_steps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_run_targets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetName = table.Column<string>(type: "TEXT", nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_run_targets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    SealedParameters = table.Column<string>(type: "TEXT", nullable: false),
                    JobSnapshotJson = table.Column<string>(type: "TEXT", nullable: false),
                    TargetIdsOverrideJson = table.Column<string>(type: "TEXT", nullable: true),
                    RerunOf = table.Column<long>(type: "INTEGER", nullable: true),
                    AllowConcurrentRuns = table.Column<bool>(type: "INTEGER", nullable: false),
                    WaitReason = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    AnyTargetStarted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    DefinitionJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_job_run_events_RunId_Id",
                table: "job_run_events",
                columns: new[] { "RunId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_job_run_steps_RunId_TargetId_StepIndex",
                table: "job_run_steps",
                columns: new[] { "RunId", "TargetId", "StepIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_run_targets_RunId_TargetId",
                table: "job_run_targets",
                columns: new[] { "RunId", "TargetId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_JobId_Id",
                table: "job_runs",
                columns: new[] { "JobId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_QueuedAt",
                table: "job_runs",
                column: "QueuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_Status_Id",
                table: "job_runs",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_NormalizedName",
                table: "jobs",
                column: "NormalizedName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "executor_workers");

            migrationBuilder.DropTable(
                name: "job_run_events");

            migrationBuilder.DropTable(
                name: "job_run_steps");

            migrationBuilder.DropTable(
                name: "job_run_targets");

            migrationBuilder.DropTable(
                name: "job_runs");

            migrationBuilder.DropTable(
                name: "jobs");
        }
    }
}
