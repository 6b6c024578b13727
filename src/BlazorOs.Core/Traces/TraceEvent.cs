using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Traces;

public enum TraceLevel
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>
/// One thing that happened in a run, in order. <see cref="Sequence"/> is per run and gap-free, so a client
/// that reconnects can ask for everything after the last number it saw.
/// </summary>
public sealed class TraceEvent
{
    public TraceEvent(Guid runId, long sequence, string kind, string message, DateTime at,
        string? nodeId = null, int? attempt = null, TraceLevel level = TraceLevel.Info, string? dataJson = null)
    {
        RunId = runId;
        Sequence = sequence;
        Kind = kind;
        Message = message;
        At = at;
        NodeId = nodeId;
        Attempt = attempt;
        Level = level;
        DataJson = dataJson;
    }

    public long Id { get; private set; }
    public Guid RunId { get; private set; }
    public long Sequence { get; private set; }
    public string? NodeId { get; private set; }
    public int? Attempt { get; private set; }

    /// <summary>Dotted event kind, e.g. <c>step.started</c>, <c>agent.prompt</c>, <c>approval.answered</c>.</summary>
    public string Kind { get; private set; }

    public TraceLevel Level { get; private set; }
    public string Message { get; private set; }
    public string? DataJson { get; private set; }
    public DateTime At { get; private set; }
}

internal sealed class TraceEventConfiguration : IEntityTypeConfiguration<TraceEvent>
{
    public void Configure(EntityTypeBuilder<TraceEvent> builder)
    {
        builder.ToTable("TraceEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.NodeId).HasMaxLength(64);
        builder.Property(e => e.Kind).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Message).HasMaxLength(4000).IsRequired();
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.RunId, e.Sequence }).IsUnique().HasDatabaseName("UX_TraceEvents_Run_Sequence");
        builder.HasIndex(e => e.At).HasDatabaseName("IX_TraceEvents_At");
    }
}
