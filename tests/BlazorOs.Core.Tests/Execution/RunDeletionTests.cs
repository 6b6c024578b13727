using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution;

/// <summary>
/// Trace retention deletes old runs. The database itself removes what belonged to the run, and keeps what the
/// run wrote into memory, whose provenance then says the run is gone.
/// </summary>
public sealed class RunDeletionTests
{
    [Fact]
    public async Task Deleting_a_run_removes_its_steps_approvals_and_traces_and_keeps_its_facts()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var version = await ExecutionScenario.AddPlaybookAsync(store);
        var run = await ExecutionScenario.AddRunAsync(store, version);
        var kept = await ExecutionScenario.AddRunAsync(store, version);
        await using (var db = store.NewContext())
        {
            foreach (var id in new[] { run.Id, kept.Id })
            {
                db.StepRuns.Add(StepRun.Begin(Guid.CreateVersion7(), id, "extract", "agent", null, store.Now));
                db.Approvals.Add(Approval.Open(id, "extract", ApprovalKind.OperatorTask, "Write the summary", store.Now));
                db.TraceEvents.Add(new TraceEvent(id, 1, "run.started", "Started", store.Now));
            }

            db.Facts.Add(Fact.Create("ACME", "industry", FactValue.OfText("Logistics"),
                Provenance.Of(ProvenanceSource.Agent, "gpt-task", store.Now, run.Id, "extract")));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = store.NewContext())
        {
            // Only the run is loaded: the rest is the database's job, as it is for retention's bulk deletes.
            db.Runs.Remove(await db.Runs.SingleAsync(r => r.Id == run.Id, TestContext.Current.CancellationToken));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        Assert.Equal([kept.Id], await read.StepRuns.Select(s => s.RunId).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([kept.Id], await read.Approvals.Select(a => a.RunId).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([kept.Id], await read.TraceEvents.Select(e => e.RunId).ToListAsync(TestContext.Current.CancellationToken));
        var fact = await read.Facts.Include(f => f.Provenance).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Logistics", fact.ValueText);
        Assert.Null(fact.Provenance!.RunId);
        Assert.Equal("extract", fact.Provenance.NodeId);
    }

    [Fact]
    public async Task Deleting_a_parent_run_keeps_its_child_runs()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var version = await ExecutionScenario.AddPlaybookAsync(store);
        var parent = await ExecutionScenario.AddRunAsync(store, version);
        var child = Run.Start(version.PlaybookId, version.Id, version.Number, RunTrigger.Playbook, "{}", store.Now, parentRunId: parent.Id);
        await using (var db = store.NewContext())
        {
            db.Runs.Add(child);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = store.NewContext())
        {
            await db.Runs.Where(r => r.Id == parent.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.Runs.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((child.Id, (Guid?)null), (loaded.Id, loaded.ParentRunId));
    }

    [Fact]
    public async Task A_playbook_with_runs_cannot_be_deleted()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);

        await using var db = store.NewContext();
        db.Playbooks.Remove(await db.Playbooks.SingleAsync(p => p.Id == run.PlaybookId, TestContext.Current.CancellationToken));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1L, await store.ScalarAsync("SELECT count(*) FROM Runs;"));
    }
}
