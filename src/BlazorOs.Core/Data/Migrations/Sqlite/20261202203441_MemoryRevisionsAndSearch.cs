using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorOs.Core.Data.Migrations.Sqlite
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
                    FactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    OldKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    OldText = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    OldNumber = table.Column<double>(type: "REAL", nullable: true),
                    OldCurrency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    OldConfidence = table.Column<double>(type: "REAL", nullable: true),
                    NewKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    NewText = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    NewNumber = table.Column<double>(type: "REAL", nullable: true),
                    NewCurrency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    NewConfidence = table.Column<double>(type: "REAL", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ProvenanceId = table.Column<Guid>(type: "TEXT", nullable: false)
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

            // Full-text recall (MemorySearch). FTS5 keeps its own copy of the text, keyed by a stable integer that
            // FactsSearchRows maps to the fact's id: the implicit rowid of Facts (a table with a GUID key) may change
            // on VACUUM, so an external-content table on it could point at the wrong facts after a compaction.
            // Triggers keep both in sync with every write to Facts, whoever makes it. A later migration that rebuilds
            // Facts drops these triggers and must create them again.
            migrationBuilder.Sql("""
                CREATE TABLE "FactsSearchRows" (
                    "RowId" INTEGER NOT NULL CONSTRAINT "PK_FactsSearchRows" PRIMARY KEY,
                    "FactId" TEXT NOT NULL
                );
                CREATE UNIQUE INDEX "UX_FactsSearchRows_FactId" ON "FactsSearchRows" ("FactId");
                CREATE VIRTUAL TABLE "FactsSearch" USING fts5(
                    "Subject", "Predicate", "Value",
                    tokenize = 'unicode61 remove_diacritics 2', prefix = '3'
                );
                INSERT INTO "FactsSearchRows" ("FactId") SELECT "Id" FROM "Facts";
                INSERT INTO "FactsSearch" (rowid, "Subject", "Predicate", "Value")
                    SELECT r."RowId", f."Subject", f."Predicate", trim(f."ValueText" || ' ' || coalesce(f."Currency", ''))
                    FROM "Facts" AS f JOIN "FactsSearchRows" AS r ON r."FactId" = f."Id";

                CREATE TRIGGER "TR_Facts_Search_Insert" AFTER INSERT ON "Facts" BEGIN
                    INSERT INTO "FactsSearchRows" ("FactId") VALUES (new."Id");
                    INSERT INTO "FactsSearch" (rowid, "Subject", "Predicate", "Value")
                        VALUES (last_insert_rowid(), new."Subject", new."Predicate", trim(new."ValueText" || ' ' || coalesce(new."Currency", '')));
                END;
                CREATE TRIGGER "TR_Facts_Search_Update" AFTER UPDATE OF "Subject", "Predicate", "ValueText", "Currency" ON "Facts" BEGIN
                    UPDATE "FactsSearch"
                        SET "Subject" = new."Subject", "Predicate" = new."Predicate",
                            "Value" = trim(new."ValueText" || ' ' || coalesce(new."Currency", ''))
                        WHERE rowid = (SELECT "RowId" FROM "FactsSearchRows" WHERE "FactId" = old."Id");
                END;
                CREATE TRIGGER "TR_Facts_Search_Delete" AFTER DELETE ON "Facts" BEGIN
                    DELETE FROM "FactsSearch" WHERE rowid = (SELECT "RowId" FROM "FactsSearchRows" WHERE "FactId" = old."Id");
                    DELETE FROM "FactsSearchRows" WHERE "FactId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "TR_Facts_Search_Delete";
                DROP TRIGGER "TR_Facts_Search_Update";
                DROP TRIGGER "TR_Facts_Search_Insert";
                DROP TABLE "FactsSearch";
                DROP TABLE "FactsSearchRows";
                """);

            migrationBuilder.DropTable(
                name: "FactRevisions");
        }
    }
}
