using BlazorOs.Core.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>An external effect (an HTTP call, an email) under its idempotency key: started before, completed after.</summary>
public sealed class ExternalEffect(string key, string description, DateTime startedAt)
{
    public string Key { get; private set; } = key;
    public string Description { get; private set; } = description;
    public EffectState State { get; private set; } = EffectState.Started;
    public string? ResultJson { get; private set; }
    public int Starts { get; private set; } = 1;
    public DateTime StartedAt { get; private set; } = startedAt;
    public DateTime? CompletedAt { get; private set; }

    public void Restart() => Starts++;

    public void Complete(string resultJson, DateTime now)
    {
        State = EffectState.Completed;
        ResultJson = resultJson;
        CompletedAt = now;
    }
}

internal sealed class ExternalEffectConfiguration : IEntityTypeConfiguration<ExternalEffect>
{
    public void Configure(EntityTypeBuilder<ExternalEffect> builder)
    {
        builder.ToTable("ExternalEffects");
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(160);
        builder.Property(e => e.Description).HasMaxLength(2000).IsRequired();
        builder.HasIndex(e => e.StartedAt).HasDatabaseName("IX_ExternalEffects_StartedAt");
    }
}

internal sealed class EffectLedger(IDbContextFactory<Data.BlazorOsDbContext> dbFactory, TimeProvider clock) : IEffectLedger
{
    public async ValueTask<EffectRecord> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var effect = await db.ExternalEffects.AsNoTracking().SingleOrDefaultAsync(e => e.Key == key, cancellationToken);
        return effect is null ? new EffectRecord(key, EffectState.New, null) : new EffectRecord(key, effect.State, effect.ResultJson);
    }

    public async ValueTask<EffectRecord> BeginAsync(string key, string description, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var effect = await db.ExternalEffects.SingleOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (effect is null)
        {
            db.ExternalEffects.Add(new ExternalEffect(key, description, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(cancellationToken);
            return new EffectRecord(key, EffectState.New, null);
        }

        var before = new EffectRecord(key, effect.State, effect.ResultJson);
        if (effect.State == EffectState.Started)
        {
            effect.Restart();
            await db.SaveChangesAsync(cancellationToken);
        }

        return before;
    }

    public async ValueTask CompleteAsync(string key, string resultJson, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var effect = await db.ExternalEffects.SingleAsync(e => e.Key == key, cancellationToken);
        effect.Complete(resultJson, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }
}
