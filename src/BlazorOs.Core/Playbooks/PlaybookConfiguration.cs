using BlazorOs.Core.Intention;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Playbooks;

internal sealed class PlaybookConfiguration : IEntityTypeConfiguration<Playbook>
{
    public void Configure(EntityTypeBuilder<Playbook> builder)
    {
        builder.ToTable("Playbooks");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(Playbook.NameMaxLength).IsRequired();
        builder.Property(p => p.Description).HasMaxLength(4000);
        builder.HasOne<Goal>().WithMany().HasForeignKey(p => p.GoalId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PlaybookId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(p => p.Name).HasDatabaseName("IX_Playbooks_Name");
        builder.HasIndex(p => p.GoalId).HasDatabaseName("IX_Playbooks_GoalId");
    }
}

internal sealed class PlaybookVersionConfiguration : IEntityTypeConfiguration<PlaybookVersion>
{
    public void Configure(EntityTypeBuilder<PlaybookVersion> builder)
    {
        builder.ToTable("PlaybookVersions");
        builder.HasKey(v => v.Id);
        // The domain makes the id. Without this EF takes a new version found in a tracked playbook's Versions
        // for an existing row (its key is set) and saving it fails with "expected to affect 1 row(s)".
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Schema).HasMaxLength(64).IsRequired();
        builder.Property(v => v.Definition).IsRequired();
        builder.Property(v => v.ContentHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(v => new { v.PlaybookId, v.Number }).IsUnique().HasDatabaseName("UX_PlaybookVersions_Playbook_Number");
    }
}
