using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorOs.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MemoryRevisionsAndSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FactRevisions",
                columns: table => new
                {
                    FactId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    OldKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    OldText = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    OldNumber = table.Column<double>(type: "double precision", nullable: true),
                    OldCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    OldConfidence = table.Column<double>(type: "double precision", nullable: true),
                    NewKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    NewText = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    NewNumber = table.Column<double>(type: "double precision", nullable: true),
                    NewCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    NewConfidence = table.Column<double>(type: "double precision", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ProvenanceId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FactRevisions", x => new { x.FactId, x.Number });
                    table.ForeignKey(
                        name: "FK_FactRevisions_Facts_FactId",
                        column: x => x.FactId,
                        principalTable: "Facts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_FactRevisions_Provenance_ProvenanceId",
                        column: x => x.ProvenanceId,
                        principalTable: "Provenance",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FactRevisions_ProvenanceId",
                table: "FactRevisions",
                column: "ProvenanceId");

            // Facts written before revisions were kept: their current value becomes their latest revision, with no old value.
            migrationBuilder.Sql("""
                INSERT INTO "FactRevisions" ("FactId", "Number", "NewKind", "NewText", "NewNumber", "NewCurrency", "NewConfidence", "ProvenanceId")
                SELECT "Id", "Revision", "ValueKind", "ValueText", "ValueNumber", "Currency", "Confidence", "ProvenanceId" FROM "Facts";
                """);

            // Full-text recall (MemorySearch): a GIN index over the weighted tsvector that MemorySearch queries, with the
            // 'simple' configuration (no stemming, any language). The expression must stay identical to the query's.
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Facts_Search" ON "Facts" USING GIN ((
                    setweight(to_tsvector('simple'::regconfig, "Subject"), 'A') ||
                    setweight(to_tsvector('simple'::regconfig, "Predicate"), 'B') ||
                    setweight(to_tsvector('simple'::regconfig, "ValueText" || ' ' || coalesce("Currency", '')), 'C')));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Facts_Search";""");

            migrationBuilder.DropTable(
                name: "FactRevisions");
        }
    }
}
