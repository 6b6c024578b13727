using System.Collections.Concurrent;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Shared;

/// <summary>
/// A component's subscription to every run's trace events, coalesced: events that match <c>relevant</c> are queued,
/// and the component's <c>apply</c> runs on its own dispatcher with everything queued since the last call, at most
/// once per <c>minInterval</c> (the first event of a quiet period is applied at once). The bus calls subscribers
/// inside the writer's lock, so the handler only queues; reading the store and rendering happen outside it.
/// </summary>
public sealed class LiveTrace : IDisposable
{
    private readonly ConcurrentQueue<LiveEvent> _queue = new();
    private readonly Func<TraceMessage, bool> _relevant;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<IReadOnlyList<LiveEvent>, Task> _apply;
    private readonly Action<Exception> _failed;
    private readonly TimeSpan _minInterval;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopped = new();
    private readonly IDisposable _subscription;
    private int _scheduled;
    private long _lastApplied;

    /// <param name="dispatch">The component's <c>InvokeAsync</c>.</param>
    /// <param name="failed">The component's <c>DispatchExceptionAsync</c>, for errors while applying.</param>
    public LiveTrace(ITraceBus bus, Func<TraceMessage, bool> relevant, Func<Func<Task>, Task> dispatch,
        Func<IReadOnlyList<LiveEvent>, Task> apply, Action<Exception> failed, TimeSpan minInterval, TimeProvider? clock = null)
    {
        _relevant = relevant;
        _dispatch = dispatch;
        _apply = apply;
        _failed = failed;
        _minInterval = minInterval;
        _clock = clock ?? TimeProvider.System;
        _subscription = bus.Subscribe(null, OnEventAsync);
    }

    /// <summary>Kinds after which a run's status or its open questions may have changed.</summary>
    public static bool ChangesStatusOrQuestions(TraceMessage message) =>
        message.Kind.StartsWith("run.", StringComparison.Ordinal)
        || message.Kind.StartsWith("approval.", StringComparison.Ordinal)
        || message.Kind is "escalation.opened";

    private ValueTask OnEventAsync(TraceMessage message)
    {
        if (_stopped.IsCancellationRequested || !_relevant(message))
        {
            return ValueTask.CompletedTask;
        }

        _queue.Enqueue(new LiveEvent(message, _clock.GetUtcNow()));
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            var wait = _minInterval - _clock.GetElapsedTime(Interlocked.Read(ref _lastApplied));
            _ = ApplyAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }

        return ValueTask.CompletedTask;
    }

    private async Task ApplyAsync(TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, _stopped.Token);
            }
            else
            {
                // Off the publisher's thread: the writer holds its lock until every subscriber returned.
                await Task.Yield();
            }

            // Events that arrive from here on schedule the next pass; this pass takes what is queued now.
            Interlocked.Exchange(ref _scheduled, 0);
            Interlocked.Exchange(ref _lastApplied, _clock.GetTimestamp());
            var batch = new List<LiveEvent>();
            while (_queue.TryDequeue(out var message))
            {
                batch.Add(message);
            }

            if (batch.Count > 0 && !_stopped.IsCancellationRequested)
            {
                await _dispatch(() => _apply(batch));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting: the component is gone.
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed between the event and its render.
        }
        catch (Exception ex)
        {
            _failed(ex);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _stopped.Cancel();
        _stopped.Dispose();
    }
}

/// <summary>A trace event and when this subscriber received it from the bus (after the store committed it).</summary>
public sealed record LiveEvent(TraceMessage Message, DateTimeOffset ReceivedAt);
