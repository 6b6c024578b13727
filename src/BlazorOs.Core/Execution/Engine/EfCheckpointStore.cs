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
internal sealed class EfCheckpointStore(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock) : JsonCheckpointStore
{
    public override async ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, Guid.CreateVersion7().ToString("N"));
        var json = value.GetRawText();
        var parentId = parent?.CheckpointId;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        var replaced = await db.WorkflowCheckpoints.Where(c => c.SessionId == sessionId).ExecuteUpdateAsync(c => c
            .SetProperty(x => x.CheckpointId, info.CheckpointId)
            .SetProperty(x => x.ParentId, parentId)
            .SetProperty(x => x.Json, json)
            .SetProperty(x => x.CreatedAt, now));
        if (replaced == 0)
        {
            // The run's first checkpoint.
            db.WorkflowCheckpoints.Add(new WorkflowCheckpoint(sessionId, info.CheckpointId, parentId, json, now));
            await db.SaveChangesAsync();
        }

        return info;
    }

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
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WorkflowCheckpoints.Where(c => c.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken);
    }
}
