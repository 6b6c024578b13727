using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorOs.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MemoryVectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MemoryVectors",
                columns: table => new
                {
                    ItemType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SourceUpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Scope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Dimensions = table.Column<int>(type: "integer", nullable: false),
                    Vector = table.Column<byte[]>(type: "bytea", nullable: false),
                    EmbeddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemoryVectors", x => new { x.ItemType, x.ItemId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_MemoryVectors_ItemId",
                table: "MemoryVectors",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_MemoryVectors_Type_Model_At",
                table: "MemoryVectors",
                columns: new[] { "ItemType", "Model", "SourceUpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MemoryVectors_Type_Model_Scope_At",
                table: "MemoryVectors",
                columns: new[] { "ItemType", "Model", "Scope", "SourceUpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MemoryVectors");
        }
    }
}
