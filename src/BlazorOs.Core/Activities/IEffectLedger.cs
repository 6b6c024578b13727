namespace BlazorOs.Core.Activities;

/// <summary>What the ledger knows about an external effect with a given idempotency key.</summary>
public enum EffectState
{
    /// <summary>Never started: go ahead.</summary>
    New = 0,

    /// <summary>Started but not known to have finished (the process died mid-call): the connector must resolve it.</summary>
    Started = 1,

    /// <summary>Finished: do not repeat; use <see cref="EffectRecord.ResultJson"/>.</summary>
    Completed = 2,
}

public sealed record EffectRecord(string Key, EffectState State, string? ResultJson);

/// <summary>
/// Records every external effect before it happens and its result after, in the database, so a step replayed after
/// recovery never repeats a completed call (ARCHITECTURE "Recovery is at-least-once per superstep").
/// </summary>
public interface IEffectLedger
{
    ValueTask<EffectRecord> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Marks the effect as started (before sending); returns the record as it stood before.</summary>
    ValueTask<EffectRecord> BeginAsync(string key, string description, CancellationToken cancellationToken);

    ValueTask CompleteAsync(string key, string resultJson, CancellationToken cancellationToken);
}
