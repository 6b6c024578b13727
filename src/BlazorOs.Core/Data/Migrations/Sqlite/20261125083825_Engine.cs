using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorOs.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Engine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Port",
                table: "StepRuns",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OnTimeout",
                table: "Approvals",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "StepRunId",
                table: "Approvals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExternalEffects",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    Starts = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalEffects", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Schedules",
                columns: table => new
                {
                    PlaybookId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    NextDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFiredAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Schedules", x => x.PlaybookId);
                    table.ForeignKey(
                        name: "FK_Schedules_Playbooks_PlaybookId",
                        column: x => x.PlaybookId,
                        principalTable: "Playbooks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowCheckpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CheckpointId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowCheckpoints", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Approvals_Status_DueAt",
                table: "Approvals",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalEffects_StartedAt",
                table: "ExternalEffects",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Schedules_NextDueAt",
                table: "Schedules",
                column: "NextDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowCheckpoints_Session",
                table: "WorkflowCheckpoints",
                columns: new[] { "SessionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "UX_WorkflowCheckpoints_Session_Checkpoint",
                table: "WorkflowCheckpoints",
                columns: new[] { "SessionId", "CheckpointId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExternalEffects");

            migrationBuilder.DropTable(
                name: "Schedules");

            migrationBuilder.DropTable(
                name: "WorkflowCheckpoints");

            migrationBuilder.DropIndex(
                name: "IX_Approvals_Status_DueAt",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "Port",
                table: "StepRuns");

            migrationBuilder.DropColumn(
                name: "OnTimeout",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "StepRunId",
                table: "Approvals");
        }
    }
}
