using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Traces;

public sealed class TraceEventTests
{
    [Fact]
    public async Task Trace_events_round_trip_in_sequence_order()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);
        await using (var db = store.NewContext())
        {
            db.TraceEvents.AddRange(
                new TraceEvent(run.Id, 2, "step.failed", "Timeout", store.Now, "send", 3, TraceLevel.Error, """{"ms":30000}"""),
                new TraceEvent(run.Id, 1, "step.started", "Started send", store.Now, "send", 3));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var events = await read.TraceEvents.Where(e => e.RunId == run.Id).OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["step.started", "step.failed"], events.Select(e => e.Kind));
        var failed = events[1];
        Assert.Equal(("send", (int?)3, TraceLevel.Error, "Timeout", """{"ms":30000}"""), (failed.NodeId, failed.Attempt, failed.Level, failed.Message, failed.DataJson));
        Assert.Equal(DateTimeKind.Utc, failed.At.Kind);
        Assert.Equal("Error", await store.ScalarAsync("SELECT Level FROM TraceEvents WHERE Sequence = 2;"));
    }

    [Fact]
    public async Task A_sequence_number_is_used_once_per_run()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var version = await ExecutionScenario.AddPlaybookAsync(store);
        var run = await ExecutionScenario.AddRunAsync(store, version);
        var other = await ExecutionScenario.AddRunAsync(store, version);
        await using (var db = store.NewContext())
        {
            db.TraceEvents.AddRange(new TraceEvent(run.Id, 1, "run.started", "Started", store.Now),
                new TraceEvent(other.Id, 1, "run.started", "Started", store.Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var duplicate = store.NewContext();
        duplicate.TraceEvents.Add(new TraceEvent(run.Id, 1, "step.started", "Second writer", store.Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => duplicate.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2L, await store.ScalarAsync("SELECT count(*) FROM TraceEvents;"));
    }
}
