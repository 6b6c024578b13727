using BlazorOs.Core.Execution;
using BlazorOs.Core.Intention;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution;

public sealed class RunTests
{
    [Fact]
    public async Task A_run_round_trips_through_its_lifecycle()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var version = await ExecutionScenario.AddPlaybookAsync(store);
        var goal = Goal.Create("Get paid on time", GoalLevel.Strategic, store.Now);
        var parent = await ExecutionScenario.AddRunAsync(store, version);
        var run = Run.Start(version.PlaybookId, version.Id, version.Number, RunTrigger.Schedule, """{"week":48}""", store.Now, goal.Id, parent.Id);
        await using (var db = store.NewContext())
        {
            db.Goals.Add(goal);
            db.Runs.Add(run);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await UpdateAsync(store, run.Id, r => r.Suspend());
        Assert.Equal("Suspended", await store.ScalarAsync("SELECT Status FROM Runs WHERE Trigger = 'Schedule';"));
        await UpdateAsync(store, run.Id, r =>
        {
            r.Resume();
            r.RecordUsage(1200, 300, 4500);
            r.RecordUsage(800, 100, 500);
        });
        store.Clock.Advance(TimeSpan.FromMinutes(7));
        await UpdateAsync(store, run.Id, r => r.Complete("3 invoices sent", store.Now));

        await using var read = store.NewContext();
        var loaded = await read.Runs.SingleAsync(r => r.Id == run.Id, TestContext.Current.CancellationToken);
        Assert.Equal((RunStatus.Completed, RunTrigger.Schedule, version.Number, """{"week":48}""", (Guid?)goal.Id, (Guid?)parent.Id, "3 invoices sent"),
            (loaded.Status, loaded.Trigger, loaded.VersionNumber, loaded.InputsJson, loaded.GoalId, loaded.ParentRunId, loaded.Outcome));
        Assert.Equal((2000L, 400L, 5000L), (loaded.TokensIn, loaded.TokensOut, loaded.CostMicros));
        Assert.Equal(TempStore.Start.UtcDateTime, loaded.StartedAt);
        Assert.Equal(store.Now, loaded.EndedAt);
        Assert.Equal(DateTimeKind.Utc, loaded.EndedAt!.Value.Kind);
        Assert.True(loaded.IsFinal);
        Assert.Equal("Completed", await store.ScalarAsync("SELECT Status FROM Runs WHERE Trigger = 'Schedule';"));
    }

    [Theory]
    [InlineData(RunStatus.Completed)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public async Task A_final_run_read_back_from_the_store_cannot_change(RunStatus final)
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);
        await UpdateAsync(store, run.Id, r =>
        {
            switch (final)
            {
                case RunStatus.Completed: r.Complete("done", store.Now); break;
                case RunStatus.Failed: r.Fail("connector refused", store.Now); break;
                default: r.Cancel(store.Now); break;
            }
        });

        await using var db = store.NewContext();
        var loaded = await db.Runs.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(final, loaded.Status);
        Assert.Throws<InvalidOperationException>(loaded.Suspend);
        Assert.Throws<InvalidOperationException>(loaded.Resume);
        Assert.Throws<InvalidOperationException>(() => loaded.Complete("again", store.Now));
        Assert.Throws<InvalidOperationException>(() => loaded.Fail("again", store.Now));
        Assert.Throws<InvalidOperationException>(() => loaded.Cancel(store.Now));
        Assert.Equal(final, loaded.Status);
    }

    [Fact]
    public async Task A_failed_run_keeps_its_reason()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);

        await UpdateAsync(store, run.Id, r => r.Fail("The mail connector refused the login.", store.Now));

        await using var db = store.NewContext();
        var loaded = await db.Runs.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((RunStatus.Failed, "The mail connector refused the login.", (string?)null), (loaded.Status, loaded.Error, loaded.Outcome));
    }

    private static async Task UpdateAsync(TempStore store, Guid runId, Action<Run> change)
    {
        await using var db = store.NewContext();
        var run = await db.Runs.SingleAsync(r => r.Id == runId, TestContext.Current.CancellationToken);
        change(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
