using System.Collections.Concurrent;
using System.Text.Json;
using BlazorOs.Core.Data;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// The engine's checkpoints in our database. Only the latest checkpoint of a run is needed to resume it, so a run keeps
/// one row, overwritten in place by each new checkpoint: one UPDATE, one commit, no deleted pages left to reuse.
/// </summary>
/// <remarks>
/// A checkpoint only says where the engine was: what the steps did is in the store already (StepRuns, written by the
/// activity host before a step's token moves on), and a run resumed from an earlier checkpoint, or from none, replays
/// its finished steps from there without running them again. So not every superstep's checkpoint is written: only one
/// that leaves the run waiting for an answer (a run may wait for days; resuming it should not replay), and otherwise at
/// most one per <see cref="SaveInterval"/> per run, which bounds the replay after a crash. A short run of instant
/// steps writes none: one fsync and ~12 KB (the whole workflow shape, in every checkpoint) less per step.
/// </remarks>
internal sealed class EfCheckpointStore(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock) : JsonCheckpointStore
{
    /// <summary>The longest a running run goes without writing its latest checkpoint.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    // When each live run last wrote a checkpoint (or offered its first one).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _savedAt = new(StringComparer.Ordinal);

    public override async ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, Guid.CreateVersion7().ToString("N"));
        var now = clock.GetUtcNow();
        if (!Waits(value) && now - _savedAt.GetOrAdd(sessionId, now) < SaveInterval)
        {
            return info;
        }

        var json = value.GetRawText();
        var parentId = parent?.CheckpointId;
        await using var db = await dbFactory.CreateDbContextAsync();
        var replaced = await db.WorkflowCheckpoints.Where(c => c.SessionId == sessionId).ExecuteUpdateAsync(c => c
            .SetProperty(x => x.CheckpointId, info.CheckpointId)
            .SetProperty(x => x.ParentId, parentId)
            .SetProperty(x => x.Json, json)
            .SetProperty(x => x.CreatedAt, now.UtcDateTime));
        if (replaced == 0)
        {
            // The run's first checkpoint.
            db.WorkflowCheckpoints.Add(new WorkflowCheckpoint(sessionId, info.CheckpointId, parentId, json, now.UtcDateTime));
            await db.SaveChangesAsync();
        }

        _savedAt[sessionId] = now;
        return info;
    }

    /// <summary>True when the engine holds open requests (the run waits for an answer), or when that cannot be told.</summary>
    private static bool Waits(JsonElement checkpoint) =>
        !checkpoint.TryGetProperty("runnerData", out var runner)
        || !runner.TryGetProperty("outstandingRequests", out var requests)
        || requests.ValueKind != JsonValueKind.Array
        || requests.GetArrayLength() > 0;

    public override async ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var json = await db.WorkflowCheckpoints.AsNoTracking()
            .Where(c => c.SessionId == sessionId && c.CheckpointId == key.CheckpointId)
            .Select(c => c.Json)
            .SingleOrDefaultAsync()
            ?? throw new InvalidOperationException($"Checkpoint {key.CheckpointId} of run {sessionId} is not in the store.");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public override async ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var query = db.WorkflowCheckpoints.AsNoTracking().Where(c => c.SessionId == sessionId);
        if (withParent is not null)
        {
            query = query.Where(c => c.ParentId == withParent.CheckpointId);
        }

        var ids = await query.OrderBy(c => c.Id).Select(c => c.CheckpointId).ToListAsync();
        return ids.Select(id => new CheckpointInfo(sessionId, id)).ToList();
    }

    /// <summary>Drops a finished run's checkpoints: nothing will resume it.</summary>
    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        _savedAt.TryRemove(sessionId, out _);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WorkflowCheckpoints.Where(c => c.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken);
    }
}
