using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Memory;

internal sealed class FactConfiguration : IEntityTypeConfiguration<Fact>
{
    public void Configure(EntityTypeBuilder<Fact> builder)
    {
        builder.ToTable("Facts");
        builder.HasKey(f => f.Id);
        builder.Ignore(f => f.Value);
        builder.Property(f => f.Subject).HasMaxLength(Fact.SubjectMaxLength).IsRequired();
        builder.Property(f => f.Predicate).HasMaxLength(Fact.SubjectMaxLength).IsRequired();
        builder.Property(f => f.ValueText).HasMaxLength(8000).IsRequired();
        builder.Property(f => f.Currency).HasMaxLength(3);
        builder.Property(f => f.Scope).HasMaxLength(64).IsRequired();
        builder.HasOne(f => f.Provenance).WithMany().HasForeignKey(f => f.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(f => f.Revisions).WithOne().HasForeignKey(r => r.FactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.Subject, f.Predicate }).HasDatabaseName("IX_Facts_Subject_Predicate");
        builder.HasIndex(f => new { f.Scope, f.UpdatedAt }).HasDatabaseName("IX_Facts_Scope_UpdatedAt");
        builder.HasIndex(f => f.UpdatedAt).HasDatabaseName("IX_Facts_UpdatedAt");
        builder.HasIndex(f => f.NeedsReview).HasDatabaseName("IX_Facts_NeedsReview");
        // Full-text search is not part of this model: the SQLite FTS5 table FactsSearch (with its triggers) and the
        // PostgreSQL GIN index IX_Facts_Search are made by the Search migrations. A migration that rebuilds the Facts
        // table on SQLite drops those triggers: it must create them again (MemorySearchTests catch it).
    }
}

internal sealed class FactRevisionConfiguration : IEntityTypeConfiguration<FactRevision>
{
    public void Configure(EntityTypeBuilder<FactRevision> builder)
    {
        builder.ToTable("FactRevisions");
        builder.HasKey(r => new { r.FactId, r.Number }).HasName("PK_FactRevisions");
        builder.Ignore(r => r.OldValue);
        builder.Ignore(r => r.NewValue);
        builder.Property(r => r.OldText).HasMaxLength(8000);
        builder.Property(r => r.NewText).HasMaxLength(8000).IsRequired();
        builder.Property(r => r.OldCurrency).HasMaxLength(3);
        builder.Property(r => r.NewCurrency).HasMaxLength(3);
        builder.Property(r => r.Reason).HasMaxLength(FactRevision.ReasonMaxLength);
        builder.HasOne(r => r.Provenance).WithMany().HasForeignKey(r => r.ProvenanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.ProvenanceId).HasDatabaseName("IX_FactRevisions_ProvenanceId");
        // OldProvenanceId has no foreign key: it repeats the previous revision's ProvenanceId, already held by one.
    }
}

internal sealed class ProvenanceConfiguration : IEntityTypeConfiguration<Provenance>
{
    public void Configure(EntityTypeBuilder<Provenance> builder)
    {
        builder.ToTable("Provenance");
        builder.HasKey(p => p.Id);
        // The domain makes the id: a new provenance reached through a tracked fact (Fact.Change) is an insert, not an update.
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Actor).HasMaxLength(200).IsRequired();
        builder.Property(p => p.NodeId).HasMaxLength(64);
        builder.Property(p => p.Detail).HasMaxLength(2000);
        // A run may be deleted by trace retention; what it wrote stays, and says it came from a run that is gone.
        builder.HasOne<Run>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(p => p.RunId).HasDatabaseName("IX_Provenance_RunId");
    }
}
