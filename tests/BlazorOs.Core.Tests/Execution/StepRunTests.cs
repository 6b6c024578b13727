using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution;

public sealed class StepRunTests
{
    [Fact]
    public async Task A_step_round_trips_with_its_attempts_usage_and_output()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);
        var step = StepRun.Begin(Guid.CreateVersion7(), run.Id, "draft-email", "agent", """{"to":"acme"}""", store.Now);
        step.Wait();
        step.Retry();
        step.RecordUsage(500, 120, 900);
        store.Clock.Advance(TimeSpan.FromSeconds(12));
        step.Complete("next", """{"subject":"Invoice 48"}""", store.Now);
        await using (var db = store.NewContext())
        {
            db.StepRuns.Add(step);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.StepRuns.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((run.Id, "draft-email", "agent", StepStatus.Completed, 2), (loaded.RunId, loaded.NodeId, loaded.Kind, loaded.Status, loaded.Attempts));
        Assert.Equal(("""{"to":"acme"}""", """{"subject":"Invoice 48"}""", (string?)null), (loaded.InputJson, loaded.OutputJson, loaded.Error));
        Assert.Equal((500L, 120L, 900L), (loaded.TokensIn, loaded.TokensOut, loaded.CostMicros));
        Assert.Equal(store.Now, loaded.EndedAt);
        Assert.Equal(DateTimeKind.Utc, loaded.StartedAt.Kind);
        Assert.Equal("Completed", await store.ScalarAsync("SELECT Status FROM StepRuns;"));
    }

    [Fact]
    public async Task A_step_cannot_belong_to_a_run_that_does_not_exist()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await using var db = store.NewContext();
        db.StepRuns.Add(StepRun.Begin(Guid.CreateVersion7(), Guid.CreateVersion7(), "draft-email", "agent", null, store.Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }
}
