using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>One engine checkpoint of a run (the workflow's state after a superstep), as JSON.</summary>
public sealed class WorkflowCheckpoint(string sessionId, string checkpointId, string? parentId, string json, DateTime createdAt)
{
    public long Id { get; private set; }
    public string SessionId { get; private set; } = sessionId;
    public string CheckpointId { get; private set; } = checkpointId;
    public string? ParentId { get; private set; } = parentId;
    public string Json { get; private set; } = json;
    public DateTime CreatedAt { get; private set; } = createdAt;
}

internal sealed class WorkflowCheckpointConfiguration : IEntityTypeConfiguration<WorkflowCheckpoint>
{
    public void Configure(EntityTypeBuilder<WorkflowCheckpoint> builder)
    {
        builder.ToTable("WorkflowCheckpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.SessionId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.CheckpointId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.ParentId).HasMaxLength(64);
        builder.Property(c => c.Json).IsRequired();
        builder.HasIndex(c => new { c.SessionId, c.Id }).HasDatabaseName("IX_WorkflowCheckpoints_Session");
        builder.HasIndex(c => new { c.SessionId, c.CheckpointId }).IsUnique().HasDatabaseName("UX_WorkflowCheckpoints_Session_Checkpoint");
    }
}
