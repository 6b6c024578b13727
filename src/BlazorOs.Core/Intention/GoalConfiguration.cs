using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Intention;

internal sealed class GoalConfiguration : IEntityTypeConfiguration<Goal>
{
    public void Configure(EntityTypeBuilder<Goal> builder)
    {
        builder.ToTable("Goals");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Title).HasMaxLength(Goal.TitleMaxLength).IsRequired();
        builder.Property(g => g.Description).HasMaxLength(4000);
        builder.HasOne<Goal>().WithMany().HasForeignKey(g => g.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => new { g.Status, g.Level }).HasDatabaseName("IX_Goals_Status_Level");
        builder.HasIndex(g => g.ParentId).HasDatabaseName("IX_Goals_ParentId");
    }
}
