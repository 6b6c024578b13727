using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace BlazorOs.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MemoryItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "NeedsReview",
                table: "Facts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsConflict",
                table: "FactRevisions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "OldProvenanceId",
                table: "FactRevisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Decisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Rationale = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    AlternativesJson = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    GoalId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProvenanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Decisions_Provenance_ProvenanceId",
                        column: x => x.ProvenanceId,
                        principalTable: "Provenance",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MemoryRevisions",
                columns: table => new
                {
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    ItemType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OldJson = table.Column<string>(type: "TEXT", nullable: true),
                    NewJson = table.Column<string>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ProvenanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OldProvenanceId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemoryRevisions", x => new { x.ItemId, x.Number });
                    table.ForeignKey(
                        name: "FK_MemoryRevisions_Provenance_ProvenanceId",
                        column: x => x.ProvenanceId,
                        principalTable: "Provenance",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RecordTypes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IsBuiltIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    FieldsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Amount = table.Column<int>(type: "INTEGER", nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Summaries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    PeriodFrom = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PeriodTo = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SourceType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SourceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CostMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProvenanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Summaries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Summaries_Provenance_ProvenanceId",
                        column: x => x.ProvenanceId,
                        principalTable: "Provenance",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Records",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TypeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ValuesJson = table.Column<string>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProvenanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Records", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Records_Provenance_ProvenanceId",
                        column: x => x.ProvenanceId,
                        principalTable: "Provenance",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Records_RecordTypes_TypeId",
                        column: x => x.TypeId,
                        principalTable: "RecordTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RetentionLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ItemType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    Summaries = table.Column<int>(type: "INTEGER", nullable: false),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionLog", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RetentionLog_RetentionRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "RetentionRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.InsertData(
                table: "RecordTypes",
                columns: new[] { "Id", "CreatedAt", "FieldsJson", "IsBuiltIn", "Label", "Name", "UpdatedAt" },
                values: new object[,]
                {
                    { new Guid("0193a000-0000-7000-8000-00000000c001"), new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), "[{\"name\":\"name\",\"kind\":\"Text\",\"required\":true,\"label\":\"Name\"},{\"name\":\"email\",\"kind\":\"Email\",\"required\":false,\"label\":\"Email\"},{\"name\":\"phone\",\"kind\":\"Text\",\"required\":false,\"label\":\"Phone\"},{\"name\":\"company\",\"kind\":\"Reference\",\"required\":false,\"label\":\"Company\"},{\"name\":\"role\",\"kind\":\"Text\",\"required\":false,\"label\":\"Role\"}]", true, "Contact", "contact", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { new Guid("0193a000-0000-7000-8000-00000000c002"), new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), "[{\"name\":\"name\",\"kind\":\"Text\",\"required\":true,\"label\":\"Name\"},{\"name\":\"website\",\"kind\":\"Url\",\"required\":false,\"label\":\"Website\"},{\"name\":\"industry\",\"kind\":\"Text\",\"required\":false,\"label\":\"Industry\"}]", true, "Company", "company", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { new Guid("0193a000-0000-7000-8000-00000000c003"), new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), "[{\"name\":\"name\",\"kind\":\"Text\",\"required\":true,\"label\":\"Name\"},{\"name\":\"status\",\"kind\":\"Choice\",\"required\":true,\"choices\":[\"planned\",\"active\",\"done\",\"cancelled\"],\"label\":\"Status\"},{\"name\":\"client\",\"kind\":\"Reference\",\"required\":false,\"label\":\"Client\"},{\"name\":\"due\",\"kind\":\"Date\",\"required\":false,\"label\":\"Due\"},{\"name\":\"budget\",\"kind\":\"Money\",\"required\":false,\"label\":\"Budget\"}]", true, "Project", "project", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { new Guid("0193a000-0000-7000-8000-00000000c004"), new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), "[{\"name\":\"name\",\"kind\":\"Text\",\"required\":true,\"label\":\"Name\"},{\"name\":\"company\",\"kind\":\"Reference\",\"required\":false,\"label\":\"Company\"},{\"name\":\"amount\",\"kind\":\"Money\",\"required\":false,\"label\":\"Amount\"},{\"name\":\"stage\",\"kind\":\"Choice\",\"required\":true,\"choices\":[\"lead\",\"qualified\",\"proposal\",\"won\",\"lost\"],\"label\":\"Stage\"},{\"name\":\"closeDate\",\"kind\":\"Date\",\"required\":false,\"label\":\"Close date\"}]", true, "Deal", "deal", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.CreateIndex(
                name: "IX_Facts_NeedsReview",
                table: "Facts",
                column: "NeedsReview");

            migrationBuilder.CreateIndex(
                name: "IX_Facts_UpdatedAt",
                table: "Facts",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_GoalId",
                table: "Decisions",
                column: "GoalId");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_ProvenanceId",
                table: "Decisions",
                column: "ProvenanceId");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_RunId",
                table: "Decisions",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_Scope_UpdatedAt",
                table: "Decisions",
                columns: new[] { "Scope", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MemoryRevisions_ProvenanceId",
                table: "MemoryRevisions",
                column: "ProvenanceId");

            migrationBuilder.CreateIndex(
                name: "IX_Records_ProvenanceId",
                table: "Records",
                column: "ProvenanceId");

            migrationBuilder.CreateIndex(
                name: "IX_Records_Scope_UpdatedAt",
                table: "Records",
                columns: new[] { "Scope", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Records_Type_Title",
                table: "Records",
                columns: new[] { "TypeId", "Title" });

            migrationBuilder.CreateIndex(
                name: "UX_RecordTypes_Name",
                table: "RecordTypes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RetentionLog_At",
                table: "RetentionLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_RetentionLog_RuleId",
                table: "RetentionLog",
                column: "RuleId");

            migrationBuilder.CreateIndex(
                name: "UX_RetentionRules_Type_Scope",
                table: "RetentionRules",
                columns: new[] { "ItemType", "Scope" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Summaries_ProvenanceId",
                table: "Summaries",
                column: "ProvenanceId");

            migrationBuilder.CreateIndex(
                name: "IX_Summaries_RunId",
                table: "Summaries",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Summaries_Scope_CreatedAt",
                table: "Summaries",
                columns: new[] { "Scope", "CreatedAt" });

            // Full-text recall over decisions, records and summaries (MemorySearch), beside FactsSearch for facts: one FTS5
            // table for the three, columns Title, Label and Body (weighted 4, 2, 1 as subject, predicate and value are),
            // keyed by a stable integer that MemoryItemsSearchRows maps to the item (see FactsSearchRows for why).
            // Triggers keep it in sync with every write, whoever makes it. A record's body is its values without the
            // field names (json_each), its label the type's name and label.
            migrationBuilder.Sql("""
                CREATE TABLE "MemoryItemsSearchRows" (
                    "RowId" INTEGER NOT NULL CONSTRAINT "PK_MemoryItemsSearchRows" PRIMARY KEY,
                    "ItemType" TEXT NOT NULL,
                    "ItemId" TEXT NOT NULL
                );
                CREATE UNIQUE INDEX "UX_MemoryItemsSearchRows_ItemId" ON "MemoryItemsSearchRows" ("ItemId");
                CREATE VIRTUAL TABLE "MemoryItemsSearch" USING fts5(
                    "Title", "Label", "Body",
                    tokenize = 'unicode61 remove_diacritics 2', prefix = '3'
                );

                CREATE TRIGGER "TR_Decisions_Search_Insert" AFTER INSERT ON "Decisions" BEGIN
                    INSERT INTO "MemoryItemsSearchRows" ("ItemType", "ItemId") VALUES ('decision', new."Id");
                    INSERT INTO "MemoryItemsSearch" (rowid, "Title", "Label", "Body")
                        VALUES (last_insert_rowid(), new."Title", new."AlternativesJson", coalesce(new."Rationale", ''));
                END;
                CREATE TRIGGER "TR_Decisions_Search_Update" AFTER UPDATE OF "Title", "AlternativesJson", "Rationale" ON "Decisions" BEGIN
                    UPDATE "MemoryItemsSearch" SET "Title" = new."Title", "Label" = new."AlternativesJson", "Body" = coalesce(new."Rationale", '')
                        WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                END;
                CREATE TRIGGER "TR_Decisions_Search_Delete" AFTER DELETE ON "Decisions" BEGIN
                    DELETE FROM "MemoryItemsSearch" WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                    DELETE FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id";
                END;

                CREATE TRIGGER "TR_Records_Search_Insert" AFTER INSERT ON "Records" BEGIN
                    INSERT INTO "MemoryItemsSearchRows" ("ItemType", "ItemId") VALUES ('record', new."Id");
                    INSERT INTO "MemoryItemsSearch" (rowid, "Title", "Label", "Body")
                        VALUES (last_insert_rowid(), new."Title",
                            (SELECT t."Name" || ' ' || t."Label" FROM "RecordTypes" AS t WHERE t."Id" = new."TypeId"),
                            (SELECT coalesce(group_concat(j."value", ' '), '') FROM json_each(new."ValuesJson") AS j));
                END;
                CREATE TRIGGER "TR_Records_Search_Update" AFTER UPDATE OF "Title", "ValuesJson", "TypeId" ON "Records" BEGIN
                    UPDATE "MemoryItemsSearch" SET "Title" = new."Title",
                            "Label" = (SELECT t."Name" || ' ' || t."Label" FROM "RecordTypes" AS t WHERE t."Id" = new."TypeId"),
                            "Body" = (SELECT coalesce(group_concat(j."value", ' '), '') FROM json_each(new."ValuesJson") AS j)
                        WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                END;
                CREATE TRIGGER "TR_Records_Search_Delete" AFTER DELETE ON "Records" BEGIN
                    DELETE FROM "MemoryItemsSearch" WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                    DELETE FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id";
                END;

                CREATE TRIGGER "TR_Summaries_Search_Insert" AFTER INSERT ON "Summaries" BEGIN
                    INSERT INTO "MemoryItemsSearchRows" ("ItemType", "ItemId") VALUES ('summary', new."Id");
                    INSERT INTO "MemoryItemsSearch" (rowid, "Title", "Label", "Body")
                        VALUES (last_insert_rowid(), new."Title", new."SourceType", new."Text");
                END;
                CREATE TRIGGER "TR_Summaries_Search_Update" AFTER UPDATE OF "Title", "Text" ON "Summaries" BEGIN
                    UPDATE "MemoryItemsSearch" SET "Title" = new."Title", "Body" = new."Text"
                        WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                END;
                CREATE TRIGGER "TR_Summaries_Search_Delete" AFTER DELETE ON "Summaries" BEGIN
                    DELETE FROM "MemoryItemsSearch" WHERE rowid = (SELECT "RowId" FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id");
                    DELETE FROM "MemoryItemsSearchRows" WHERE "ItemId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE "MemoryItemsSearch";
                DROP TABLE "MemoryItemsSearchRows";
                """);

            migrationBuilder.DropTable(
                name: "Decisions");

            migrationBuilder.DropTable(
                name: "MemoryRevisions");

            migrationBuilder.DropTable(
                name: "Records");

            migrationBuilder.DropTable(
                name: "RetentionLog");

            migrationBuilder.DropTable(
                name: "Summaries");

            migrationBuilder.DropTable(
                name: "RecordTypes");

            migrationBuilder.DropTable(
                name: "RetentionRules");

            migrationBuilder.DropIndex(
                name: "IX_Facts_NeedsReview",
                table: "Facts");

            migrationBuilder.DropIndex(
                name: "IX_Facts_UpdatedAt",
                table: "Facts");

            // In place (SQLite 3.35+), not by EF's rebuild of the table: dropping the old Facts table would drop the fact search
            // triggers of 20261202203441_MemoryRevisionsAndSearch with it, and the index would stop following facts.
            migrationBuilder.Sql("""ALTER TABLE "Facts" DROP COLUMN "NeedsReview";""");

            migrationBuilder.DropColumn(
                name: "IsConflict",
                table: "FactRevisions");

            migrationBuilder.DropColumn(
                name: "OldProvenanceId",
                table: "FactRevisions");
        }
    }
}
