using System.Text.Json;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// Invariant: a checkpoint only says where the engine was; what the steps did is in the store. So a run resumes from
/// an older checkpoint, or from none, by replaying its finished steps without running them again, and the store may
/// skip writing checkpoints of a running run (never one that leaves the run waiting).
/// </summary>
public sealed class CheckpointTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static JsonElement Checkpoint(int openRequests) => JsonDocument.Parse(
        $$"""{ "runnerData": { "outstandingRequests": [{{string.Join(",", Enumerable.Repeat("{}", openRequests))}}] } }""").RootElement;

    [Fact]
    public async Task A_checkpoint_that_leaves_the_run_waiting_is_written_at_once_and_replaces_the_previous_one()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var checkpoints = new EfCheckpointStore(store.Get<IDbContextFactory<BlazorOsDbContext>>(), store.Clock);

        await checkpoints.CreateCheckpointAsync("run", Checkpoint(openRequests: 1));
        var latest = await checkpoints.CreateCheckpointAsync("run", Checkpoint(openRequests: 2));

        Assert.Equal([latest.CheckpointId], (await checkpoints.RetrieveIndexAsync("run")).Select(c => c.CheckpointId));
    }

    [Fact]
    public async Task A_running_run_writes_at_most_one_checkpoint_per_interval()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var checkpoints = new EfCheckpointStore(store.Get<IDbContextFactory<BlazorOsDbContext>>(), store.Clock);

        await checkpoints.CreateCheckpointAsync("run", Checkpoint(openRequests: 0));
        Assert.Empty(await checkpoints.RetrieveIndexAsync("run"));

        store.Clock.Advance(EfCheckpointStore.SaveInterval);
        var saved = await checkpoints.CreateCheckpointAsync("run", Checkpoint(openRequests: 0));
        await checkpoints.CreateCheckpointAsync("run", Checkpoint(openRequests: 0));

        Assert.Equal([saved.CheckpointId], (await checkpoints.RetrieveIndexAsync("run")).Select(c => c.CheckpointId));
    }

    [Fact]
    public async Task A_run_whose_checkpoint_is_gone_resumes_by_replaying_its_finished_steps()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "check", "kind": "condition", "settings": { "expression": "true" } },
            { "id": "review", "kind": "approval", "settings": { "question": "Go on?" } },
            { "id": "done", "kind": "end", "settings": { "outcome": "approved" } }
            """,
            """
            { "from": "start", "to": "check" },
            { "from": "check", "port": "true", "to": "review" },
            { "from": "review", "port": "approved", "to": "done" }
            """));
        var runId = await host.StartRunAsync(id);
        var approval = await host.OpenApprovalAsync(runId);
        await host.WaitForAsync(runId, RunStatus.Suspended);
        await using (var db = await host.DbAsync())
        {
            await db.WorkflowCheckpoints.ExecuteDeleteAsync(Cancel);
        }

        await host.RestartAsync();
        await host.Engine.AnswerAsync(approval.Id, ApprovalDecision.Approve, null, "operator", Cancel);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "approved"), (run.Status, run.Outcome));
        Assert.Equal(["start", "check", "review", "done"], (await host.StepsAsync(runId)).Select(s => s.NodeId));
        Assert.All(await host.StepsAsync(runId), s => Assert.Equal(1, s.Attempts));
        var kinds = await host.TraceKindsAsync(runId);
        Assert.Contains("run.recovered", kinds);
        Assert.Single(kinds, k => k == "approval.requested");
    }
}
