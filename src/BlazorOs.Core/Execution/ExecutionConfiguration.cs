using BlazorOs.Core.Intention;
using BlazorOs.Core.Playbooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Execution;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("Runs");
        builder.HasKey(r => r.Id);
        builder.Ignore(r => r.IsFinal);
        builder.Property(r => r.InputsJson).IsRequired();
        builder.Property(r => r.Outcome).HasMaxLength(200);
        builder.HasOne<Playbook>().WithMany().HasForeignKey(r => r.PlaybookId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PlaybookVersion>().WithMany().HasForeignKey(r => r.PlaybookVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Goal>().WithMany().HasForeignKey(r => r.GoalId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Run>().WithMany().HasForeignKey(r => r.ParentRunId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(r => new { r.Status, r.StartedAt }).HasDatabaseName("IX_Runs_Status_StartedAt");
        builder.HasIndex(r => new { r.PlaybookId, r.StartedAt }).HasDatabaseName("IX_Runs_Playbook_StartedAt");
        builder.HasIndex(r => r.StartedAt).HasDatabaseName("IX_Runs_StartedAt");
    }
}

internal sealed class StepRunConfiguration : IEntityTypeConfiguration<StepRun>
{
    public void Configure(EntityTypeBuilder<StepRun> builder)
    {
        builder.ToTable("StepRuns");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.NodeId).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Kind).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Port).HasMaxLength(64);
        builder.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.RunId, s.NodeId }).HasDatabaseName("IX_StepRuns_Run_Node");
    }
}

internal sealed class ApprovalConfiguration : IEntityTypeConfiguration<Approval>
{
    public void Configure(EntityTypeBuilder<Approval> builder)
    {
        builder.ToTable("Approvals");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.NodeId).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Question).HasMaxLength(2000).IsRequired();
        builder.Property(a => a.PolicyReason).HasMaxLength(2000);
        builder.Property(a => a.AnsweredBy).HasMaxLength(200);
        builder.Property(a => a.OnTimeout).HasMaxLength(16);
        builder.Ignore(a => a.InInbox);
        builder.HasIndex(a => new { a.Status, a.DueAt }).HasDatabaseName("IX_Approvals_Status_DueAt");
        builder.HasOne<Run>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.Status, a.CreatedAt }).HasDatabaseName("IX_Approvals_Status_CreatedAt");
        builder.HasIndex(a => a.RunId).HasDatabaseName("IX_Approvals_RunId");
    }
}
