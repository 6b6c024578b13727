using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Shared;

namespace BlazorOs.Web.Tests.Components.Shared;

/// <summary>The coalescing subscription pages use: every relevant event arrives once, in order, in few batches.</summary>
public sealed class LiveTraceTests
{
    private readonly TraceBroadcaster _bus = new();
    private readonly List<IReadOnlyList<LiveEvent>> _batches = [];
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    [Fact]
    public async Task A_burst_of_events_arrives_complete_and_in_order_in_fewer_batches_than_events()
    {
        var run = Guid.NewGuid();
        using var live = Subscribe(m => m.Kind != "agent.prompt");

        for (var sequence = 1; sequence <= 200; sequence++)
        {
            await _bus.PublishAsync(Message(run, sequence, sequence % 10 == 0 ? "agent.prompt" : "step.started"));
        }

        var received = await WaitForAsync(180);
        Assert.Equal(Enumerable.Range(1, 200).Where(s => s % 10 != 0).Select(s => (long)s), received.Select(e => e.Message.Sequence));
        Assert.InRange(_batches.Count, 1, 100);
    }

    [Fact]
    public async Task After_dispose_nothing_more_is_applied()
    {
        var live = Subscribe(_ => true);
        await _bus.PublishAsync(Message(Guid.NewGuid(), 1, "run.started"));
        await WaitForAsync(1);

        live.Dispose();
        await _bus.PublishAsync(Message(Guid.NewGuid(), 2, "run.started"));
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Single(_batches.SelectMany(b => b));
    }

    [Theory]
    [InlineData("run.completed", true)]
    [InlineData("approval.requested", true)]
    [InlineData("escalation.opened", true)]
    [InlineData("step.started", false)]
    [InlineData("agent.reply", false)]
    public void Questions_and_statuses_change_only_on_run_approval_and_escalation_events(string kind, bool changes) =>
        Assert.Equal(changes, LiveTrace.ChangesStatusOrQuestions(Message(Guid.NewGuid(), 1, kind)));

    // The component's InvokeAsync runs one piece of work at a time; so does this stand-in for its dispatcher.
    private LiveTrace Subscribe(Func<TraceMessage, bool> relevant) => new(_bus, relevant, async work =>
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await work();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }, batch =>
    {
        lock (_batches)
        {
            _batches.Add(batch);
        }

        return Task.CompletedTask;
    }, e => throw e, TimeSpan.FromMilliseconds(20));

    private async Task<List<LiveEvent>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            List<LiveEvent> received;
            lock (_batches)
            {
                received = [.. _batches.SelectMany(b => b)];
            }

            if (received.Count >= count || DateTime.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static TraceMessage Message(Guid run, long sequence, string kind) =>
        new(run, sequence, kind, kind, "n1", 1, TraceLevel.Info, null, DateTime.UtcNow);
}
