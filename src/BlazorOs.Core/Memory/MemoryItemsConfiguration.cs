using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Memory;

// Full-text search over decisions, records and summaries is not part of this model: the SQLite FTS5 table
// MemoryItemsSearch (with MemoryItemsSearchRows and triggers) and the PostgreSQL GIN indexes IX_<Table>_Search are made by
// the MemoryItems migration. A migration that rebuilds one of these tables on SQLite drops its triggers and must create
// them again (MemoryItemSearchTests catch it).

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("Decisions");
        builder.HasKey(d => d.Id);
        builder.Ignore(d => d.Alternatives);
        builder.Ignore(d => d.Content);
        builder.Property(d => d.Title).HasMaxLength(Decision.TitleMaxLength).IsRequired();
        builder.Property(d => d.Rationale).HasMaxLength(Decision.RationaleMaxLength);
        builder.Property(d => d.AlternativesJson).HasMaxLength(16000).IsRequired();
        builder.Property(d => d.Scope).HasMaxLength(MemoryScope.MaxLength).IsRequired();
        builder.HasOne(d => d.Provenance).WithMany().HasForeignKey(d => d.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        // Goal and run are links, not keys: a decision outlives the run (trace retention) and the goal it served.
        builder.HasIndex(d => new { d.Scope, d.UpdatedAt }).HasDatabaseName("IX_Decisions_Scope_UpdatedAt");
        builder.HasIndex(d => d.RunId).HasDatabaseName("IX_Decisions_RunId");
        builder.HasIndex(d => d.GoalId).HasDatabaseName("IX_Decisions_GoalId");
    }
}

internal sealed class RecordTypeConfiguration : IEntityTypeConfiguration<RecordType>
{
    // Seeded timestamps are fixed so the migration stays stable.
    private static readonly DateTime Seeded = new(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);

    public void Configure(EntityTypeBuilder<RecordType> builder)
    {
        builder.ToTable("RecordTypes");
        builder.HasKey(t => t.Id);
        builder.Ignore(t => t.Fields);
        builder.Property(t => t.Name).HasMaxLength(RecordType.NameMaxLength).IsRequired();
        builder.Property(t => t.Label).HasMaxLength(RecordType.LabelMaxLength).IsRequired();
        builder.Property(t => t.FieldsJson).IsRequired();
        builder.HasIndex(t => t.Name).IsUnique().HasDatabaseName("UX_RecordTypes_Name");
        builder.HasData(BuiltInRecordTypes.All.Select(t => new
        {
            t.Id,
            t.Name,
            t.Label,
            IsBuiltIn = true,
            FieldsJson = RecordType.SerializeFields(t.Fields),
            CreatedAt = Seeded,
            UpdatedAt = Seeded,
        }));
    }
}

internal sealed class MemoryRecordConfiguration : IEntityTypeConfiguration<MemoryRecord>
{
    public void Configure(EntityTypeBuilder<MemoryRecord> builder)
    {
        builder.ToTable("Records");
        builder.HasKey(r => r.Id);
        builder.Ignore(r => r.Values);
        builder.Property(r => r.Title).HasMaxLength(MemoryRecord.TitleMaxLength).IsRequired();
        builder.Property(r => r.ValuesJson).IsRequired();
        builder.Property(r => r.Scope).HasMaxLength(MemoryScope.MaxLength).IsRequired();
        // A type with records cannot be deleted: its records would lose their schema.
        builder.HasOne(r => r.Type).WithMany().HasForeignKey(r => r.TypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Provenance).WithMany().HasForeignKey(r => r.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.TypeId, r.Title }).HasDatabaseName("IX_Records_Type_Title");
        builder.HasIndex(r => new { r.Scope, r.UpdatedAt }).HasDatabaseName("IX_Records_Scope_UpdatedAt");
    }
}

internal sealed class SummaryConfiguration : IEntityTypeConfiguration<Summary>
{
    public void Configure(EntityTypeBuilder<Summary> builder)
    {
        builder.ToTable("Summaries");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Title).HasMaxLength(Summary.TitleMaxLength).IsRequired();
        builder.Property(s => s.Text).HasMaxLength(Summary.TextMaxLength).IsRequired();
        builder.Property(s => s.SourceType).HasMaxLength(32).IsRequired();
        builder.Property(s => s.Model).HasMaxLength(200);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.Scope).HasMaxLength(MemoryScope.MaxLength).IsRequired();
        builder.HasOne(s => s.Provenance).WithMany().HasForeignKey(s => s.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.Scope, s.CreatedAt }).HasDatabaseName("IX_Summaries_Scope_CreatedAt");
        builder.HasIndex(s => s.RunId).HasDatabaseName("IX_Summaries_RunId");
    }
}

internal sealed class MemoryRevisionConfiguration : IEntityTypeConfiguration<MemoryRevision>
{
    public void Configure(EntityTypeBuilder<MemoryRevision> builder)
    {
        builder.ToTable("MemoryRevisions");
        // No foreign key to the item: one table serves decisions and records. Their services delete revisions with the item.
        builder.HasKey(r => new { r.ItemId, r.Number }).HasName("PK_MemoryRevisions");
        builder.Property(r => r.ItemType).HasMaxLength(32).IsRequired();
        builder.Property(r => r.NewJson).IsRequired();
        builder.Property(r => r.Reason).HasMaxLength(MemoryRevision.ReasonMaxLength);
        builder.HasOne(r => r.Provenance).WithMany().HasForeignKey(r => r.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.ProvenanceId).HasDatabaseName("IX_MemoryRevisions_ProvenanceId");
    }
}

internal sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> builder)
    {
        builder.ToTable("RetentionRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ItemType).HasMaxLength(32).IsRequired();
        builder.Property(r => r.Scope).HasMaxLength(MemoryScope.MaxLength);
        builder.HasIndex(r => new { r.ItemType, r.Scope }).IsUnique().HasDatabaseName("UX_RetentionRules_Type_Scope");
    }
}

internal sealed class RetentionLogEntryConfiguration : IEntityTypeConfiguration<RetentionLogEntry>
{
    public void Configure(EntityTypeBuilder<RetentionLogEntry> builder)
    {
        builder.ToTable("RetentionLog");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ItemType).HasMaxLength(32).IsRequired();
        builder.Property(e => e.Scope).HasMaxLength(MemoryScope.MaxLength);
        builder.Property(e => e.Detail).HasMaxLength(RetentionLogEntry.DetailMaxLength).IsRequired();
        builder.HasOne<RetentionRule>().WithMany().HasForeignKey(e => e.RuleId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(e => e.At).HasDatabaseName("IX_RetentionLog_At");
    }
}
