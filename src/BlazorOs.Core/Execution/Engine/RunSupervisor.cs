using System.Collections.Concurrent;
using Microsoft.Agents.AI.Workflows;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// Watches one live run's event stream: keeps its open requests so answers can be delivered, notices the end, and
/// turns an engine that went idle without reaching an end node into a failed run with a reason.
/// </summary>
internal sealed class RunSupervisor(RunContext run, StreamingRun handle, Func<Guid, Task<bool>> isAnswered) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, ExternalRequest> _pending = new();
    private readonly CancellationTokenSource _stopping = new();

    // Stopping (a cancel, a shutdown) and disposing (the run ended on its own) can happen at the same moment, from
    // different threads: without this, a stop could reach a handle the ending run had just disposed and throw.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private bool _disposed;

    public RunContext Run { get; } = run;

    /// <summary>The engine's task that watches and then settles this run; a shutdown waits for it.</summary>
    public Task Supervision { get; set; } = Task.CompletedTask;

    /// <summary>Set when an executor yielded <see cref="RunEnded"/>: the run's row is final.</summary>
    public bool Ended { get; private set; }

    /// <summary>An engine-level error (not a step failure: those are handled by the activity host).</summary>
    public string? EngineError { get; private set; }

    public async Task WatchAsync()
    {
        try
        {
            await foreach (var evt in handle.WatchStreamAsync(_stopping.Token))
            {
                switch (evt)
                {
                    case RequestInfoEvent request when request.Request.Data.As<WaitTicket>() is { } ticket:
                        _pending[ticket.WaitId] = request.Request;
                        if (await isAnswered(ticket.WaitId))
                        {
                            await DeliverAsync(ticket.WaitId);
                        }

                        break;
                    case WorkflowOutputEvent output when output.Data is RunEnded:
                        Ended = true;
                        // Branches still running after an end node are abandoned: the run is over.
                        await handle.CancelRunAsync();
                        return;
                    case WorkflowErrorEvent error:
                        EngineError = error.Exception?.GetBaseException().Message ?? "the workflow engine reported an error";
                        return;
                    case ExecutorFailedEvent failed:
                        EngineError = $"step {failed.ExecutorId}: {failed.Data?.GetBaseException().Message}";
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Cancelled or shutting down: the caller decides what the run's row says.
        }
    }

    /// <summary>Sends the answer of <paramref name="waitId"/> into the engine if the request is open here.</summary>
    public async Task<bool> DeliverAsync(Guid waitId)
    {
        if (!_pending.TryRemove(waitId, out var request))
        {
            return false;
        }

        await handle.SendResponseAsync(request.CreateResponse(new WaitReply(waitId)));
        return true;
    }

    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed)
            {
                return; // The run already ended and let go of its handle: nothing left to stop.
            }

            await _stopping.CancelAsync();
            await handle.CancelRunAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping.Dispose();
            await handle.DisposeAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }
}
