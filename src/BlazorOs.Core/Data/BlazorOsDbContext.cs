using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Intention;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Operator;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Settings;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Data;

/// <summary>The one store of all three planes.</summary>
/// <remarks>
/// Migrations live per provider. Add one for SQLite (the default) with
/// <c>dotnet ef migrations add Name -p src/BlazorOs.Core -s src/BlazorOs.Core -c BlazorOsDbContext -o Data/Migrations/Sqlite</c>
/// and the same for PostgreSQL with <c>-c PostgresBlazorOsDbContext -o Data/Migrations/Postgres</c>.
/// They are applied at start by <see cref="DatabaseMigrator"/>.
/// </remarks>
public class BlazorOsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Goal> Goals => Set<Goal>();
    public DbSet<Playbook> Playbooks => Set<Playbook>();
    public DbSet<PlaybookVersion> PlaybookVersions => Set<PlaybookVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<StepRun> StepRuns => Set<StepRun>();
    public DbSet<Approval> Approvals => Set<Approval>();
    public DbSet<TraceEvent> TraceEvents => Set<TraceEvent>();
    public DbSet<Fact> Facts => Set<Fact>();
    public DbSet<FactRevision> FactRevisions => Set<FactRevision>();
    public DbSet<Provenance> Provenance => Set<Provenance>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<RecordType> RecordTypes => Set<RecordType>();
    public DbSet<MemoryRecord> Records => Set<MemoryRecord>();
    public DbSet<Summary> Summaries => Set<Summary>();
    public DbSet<MemoryRevision> MemoryRevisions => Set<MemoryRevision>();
    public DbSet<RetentionRule> RetentionRules => Set<RetentionRule>();
    public DbSet<RetentionLogEntry> RetentionLog => Set<RetentionLogEntry>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<WorkflowCheckpoint> WorkflowCheckpoints => Set<WorkflowCheckpoint>();
    public DbSet<ExternalEffect> ExternalEffects => Set<ExternalEffect>();
    public DbSet<Schedule> Schedules => Set<Schedule>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BlazorOsDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in the database and safe when members are reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        // Every timestamp is UTC; SQLite forgets the kind, so it is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
