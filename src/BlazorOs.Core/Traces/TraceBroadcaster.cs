using System.Collections.Concurrent;

namespace BlazorOs.Core.Traces;

/// <summary>A trace event as subscribers see it, after it was committed to the store.</summary>
public sealed record TraceMessage(Guid RunId, long Sequence, string Kind, string Message, string? NodeId, int? Attempt,
    TraceLevel Level, string? DataJson, DateTime At)
{
    public static TraceMessage From(TraceEvent e) => new(e.RunId, e.Sequence, e.Kind, e.Message, e.NodeId, e.Attempt, e.Level, e.DataJson, e.At);
}

/// <summary>
/// The in-process event bus trace events are published on, in per-run sequence order. Blazor components and the
/// SignalR hub subscribe; a subscriber that falls behind asks the store for what it missed by sequence number.
/// </summary>
public interface ITraceBus
{
    /// <summary>Subscribes to one run (<paramref name="runId"/>) or, with null, to every run. Dispose to stop.</summary>
    IDisposable Subscribe(Guid? runId, Func<TraceMessage, ValueTask> handler);

    ValueTask PublishAsync(TraceMessage message);
}

internal sealed class TraceBroadcaster : ITraceBus
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public IDisposable Subscribe(Guid? runId, Func<TraceMessage, ValueTask> handler)
    {
        var subscription = new Subscription(runId, handler, this);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public async ValueTask PublishAsync(TraceMessage message)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.RunId is null || subscription.RunId == message.RunId)
            {
                try
                {
                    await subscription.Handler(message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One broken subscriber (a closed circuit) must not stop a run or the other subscribers.
                }
            }
        }
    }

    private sealed class Subscription(Guid? runId, Func<TraceMessage, ValueTask> handler, TraceBroadcaster owner) : IDisposable
    {
        public Guid? RunId { get; } = runId;
        public Func<TraceMessage, ValueTask> Handler { get; } = handler;

        public void Dispose() => owner._subscriptions.TryRemove(this, out _);
    }
}
