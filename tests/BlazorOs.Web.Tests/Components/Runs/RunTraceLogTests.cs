using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Runs;

namespace BlazorOs.Web.Tests.Components.Runs;

/// <summary>
/// The run page's copy of a trace. Invariant: it holds sequence numbers 1…n, each once, whatever order and overlap the
/// initial load and the live subscription deliver them in; a hole is reported so the page can read it from the store.
/// </summary>
public sealed class RunTraceLogTests
{
    private static readonly Guid Run = Guid.CreateVersion7();

    [Fact]
    public void Events_seen_twice_are_kept_once()
    {
        var log = new RunTraceLog();

        Assert.False(log.Merge([Event(1), Event(2), Event(3)]));
        Assert.False(log.Merge([Event(2), Event(3), Event(4)]));

        Assert.Equal([1L, 2, 3, 4], log.Messages.Select(m => m.Sequence));
    }

    [Fact]
    public void An_event_ahead_of_a_hole_waits_for_the_store_to_fill_the_hole()
    {
        var log = new RunTraceLog();
        log.Merge([Event(1), Event(2)]);

        Assert.True(log.Merge([Event(5), Event(3)]));
        Assert.Equal(3, log.LastSequence);

        Assert.False(log.Merge([Event(4), Event(5), Event(6)], fromStore: true));
        Assert.Equal([1L, 2, 3, 4, 5, 6], log.Messages.Select(m => m.Sequence));
    }

    [Fact]
    public void What_the_store_returns_is_taken_even_across_a_hole_it_no_longer_has()
    {
        var log = new RunTraceLog();

        Assert.False(log.Merge([Event(7), Event(8)], fromStore: true));
        Assert.True(log.Merge([Event(10)]));

        Assert.Equal([7L, 8], log.Messages.Select(m => m.Sequence));
    }

    private static TraceMessage Event(long sequence) =>
        new(Run, sequence, "step.started", $"event {sequence}", "a", 1, TraceLevel.Info, null, DateTime.UtcNow);
}
