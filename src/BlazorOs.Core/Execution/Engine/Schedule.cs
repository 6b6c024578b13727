using BlazorOs.Core.Playbooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>The cron trigger of a playbook's latest version, with when it fires next.</summary>
public sealed class Schedule(Guid playbookId, int version, string cron, string timeZone, DateTime? nextDueAt)
{
    public Guid PlaybookId { get; private set; } = playbookId;

    /// <summary>The playbook version the cron and time zone were read from.</summary>
    public int Version { get; private set; } = version;

    public string Cron { get; private set; } = cron;
    public string TimeZone { get; private set; } = timeZone;
    public DateTime? NextDueAt { get; private set; } = nextDueAt;
    public DateTime? LastFiredAt { get; private set; }

    public void Change(int version, string cron, string timeZone, DateTime? nextDueAt)
    {
        Version = version;
        Cron = cron;
        TimeZone = timeZone;
        NextDueAt = nextDueAt;
    }

    public void Fired(DateTime firedAt, DateTime? nextDueAt)
    {
        LastFiredAt = firedAt;
        NextDueAt = nextDueAt;
    }
}

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.ToTable("Schedules");
        builder.HasKey(s => s.PlaybookId);
        builder.Property(s => s.Cron).HasMaxLength(200).IsRequired();
        builder.Property(s => s.TimeZone).HasMaxLength(100).IsRequired();
        builder.HasOne<Playbook>().WithOne().HasForeignKey<Schedule>(s => s.PlaybookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.NextDueAt).HasDatabaseName("IX_Schedules_NextDueAt");
    }
}
