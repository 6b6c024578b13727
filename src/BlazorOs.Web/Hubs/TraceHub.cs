using BlazorOs.Core.Traces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BlazorOs.Web.Hubs;

/// <summary>
/// Live trace events for the canvas overlay and outside clients (Blazor components subscribe to the in-process bus
/// instead). Joining a run returns what the client missed after <c>afterSequence</c>; live events that arrive while
/// that is read may repeat some of it, so clients keep the highest sequence they applied and skip anything not above
/// it. A client that sees a gap (a sequence more than one above its last) asks <see cref="ReadTrace"/> to fill it.
/// </summary>
[Authorize]
public sealed class TraceHub(TraceReader traces) : Hub<ITraceClient>
{
    public const string Path = "/hubs/traces";
    public const string AllRunsGroup = "runs";

    public static string RunGroup(Guid runId) => $"run:{runId:N}";

    /// <summary>Follows one run from now on and returns its events after <paramref name="afterSequence"/> (0: all).</summary>
    public async Task<IReadOnlyList<TraceMessage>> JoinRun(Guid runId, long afterSequence)
    {
        if (!await traces.RunExistsAsync(runId, Context.ConnectionAborted))
        {
            throw new HubException($"There is no run {runId}.");
        }

        // Group first, then read: an event committed in between arrives twice (deduplicated by sequence), never not at all.
        await Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId), Context.ConnectionAborted);
        return await traces.ReadAfterAsync(runId, afterSequence, cancellationToken: Context.ConnectionAborted);
    }

    public Task LeaveRun(Guid runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));

    /// <summary>Follows the events of every run (dashboards, status boards); no catch-up: read a run's trace for that.</summary>
    public Task JoinAllRuns() => Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);

    public Task LeaveAllRuns() => Groups.RemoveFromGroupAsync(Context.ConnectionId, AllRunsGroup);

    /// <summary>Up to <see cref="TraceReader.PageSize"/> events of a run after <paramref name="afterSequence"/>, in order.</summary>
    public Task<IReadOnlyList<TraceMessage>> ReadTrace(Guid runId, long afterSequence) =>
        traces.ReadAfterAsync(runId, afterSequence, cancellationToken: Context.ConnectionAborted);
}
