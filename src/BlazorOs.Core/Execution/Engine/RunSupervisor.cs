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

    public RunContext Run { get; } = run;

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
        try
        {
            await _stopping.CancelAsync();
            await handle.CancelRunAsync();
        }
        catch (ObjectDisposedException)
        {
            // Cancelling ends WatchAsync, and the engine then disposes this supervisor, possibly before CancelAsync
            // returns here (seen at shutdown with a waiting run): the run is stopped, which is all this was for.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        await handle.DisposeAsync();
    }
}
