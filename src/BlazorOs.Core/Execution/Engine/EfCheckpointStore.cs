using System.Text.Json;
using BlazorOs.Core.Data;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// The engine's checkpoints in our database. Only the latest checkpoint of a run is needed to resume it, so
/// creating one deletes its older siblings in the same transaction: a run's checkpoint rows stay at one.
/// </summary>
internal sealed class EfCheckpointStore(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock) : JsonCheckpointStore
{
    public override async ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, Guid.CreateVersion7().ToString("N"));
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.WorkflowCheckpoints.Where(c => c.SessionId == sessionId).ExecuteDeleteAsync();
        db.WorkflowCheckpoints.Add(new WorkflowCheckpoint(sessionId, info.CheckpointId, parent?.CheckpointId, value.GetRawText(),
            clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
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
