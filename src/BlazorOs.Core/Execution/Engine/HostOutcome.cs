namespace BlazorOs.Core.Execution.Engine;

/// <summary>What the executor does after the activity host handled a step.</summary>
internal abstract record HostOutcome
{
    private HostOutcome()
    {
    }

    /// <summary>Continue along the edges leaving through <paramref name="Port"/>.</summary>
    public sealed record Emit(string Port, Guid Activation) : HostOutcome;

    /// <summary>Send a ticket to the node's request port and wait for the answer.</summary>
    public sealed record Wait(Guid WaitId) : HostOutcome;

    /// <summary>The run is over (completed by an end node, or failed by this step).</summary>
    public sealed record EndRun : HostOutcome;
}
