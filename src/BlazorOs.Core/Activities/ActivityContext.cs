using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;

namespace BlazorOs.Core.Activities;

/// <summary>
/// What the data of a run looks like to templates and scripts: <c>inputs</c>, <c>steps.&lt;id&gt;.output</c>,
/// <c>vars</c> and <c>run</c> (id, playbook, version, startedAt).
/// </summary>
public sealed record RunScope(
    JsonObject Inputs,
    IReadOnlyDictionary<string, JsonNode?> StepOutputs,
    JsonObject Vars,
    JsonObject Run)
{
    /// <summary>The whole scope as one JSON object, the shape templates and scripts see.</summary>
    public JsonObject ToJson()
    {
        var steps = new JsonObject();
        foreach (var (id, output) in StepOutputs)
        {
            steps[id] = new JsonObject { ["output"] = output?.DeepClone() };
        }

        return new JsonObject
        {
            ["inputs"] = Inputs.DeepClone(),
            ["steps"] = steps,
            ["vars"] = Vars.DeepClone(),
            ["run"] = Run.DeepClone(),
        };
    }
}

/// <summary>Writes the activity's own trace events (prompt, model reply, tool call) in order with the host's.</summary>
public interface IStepTrace
{
    ValueTask WriteAsync(string kind, string message, JsonNode? data = null, TraceLevel level = TraceLevel.Info,
        CancellationToken cancellationToken = default);
}

/// <summary>Adds a model call's tokens and cost to the step and the run.</summary>
public interface IStepUsage
{
    ValueTask RecordAsync(long tokensIn, long tokensOut, long costMicros, CancellationToken cancellationToken = default);
}

/// <summary>Everything one execution of one node may use. Built by the activity host per attempt.</summary>
public sealed class ActivityContext(
    Guid runId,
    string nodeId,
    int attempt,
    JsonObject settings,
    RunScope scope,
    IStepTrace trace,
    IServiceProvider services)
{
    public Guid RunId { get; } = runId;
    public string NodeId { get; } = nodeId;

    /// <summary>1 for the first try; retries and operator "retry" count up.</summary>
    public int Attempt { get; } = attempt;

    public JsonObject Settings { get; } = settings;
    public RunScope Scope { get; } = scope;
    public IStepTrace Trace { get; } = trace;

    /// <summary>Where model usage goes; set by the activity host.</summary>
    public IStepUsage? Usage { get; init; }
    public IServiceProvider Services { get; } = services;

    /// <summary>Set on the call after a <see cref="ActivityResult.Waiting"/>: the operator's answer or the timer.</summary>
    public WaitAnswer? Answer { get; init; }

    /// <summary>The delegation level and reason the policy engine decided for this step, when it has an external effect.</summary>
    public string? PolicyReason { get; init; }

    /// <summary>The memory scopes the playbook lets its steps read and write; memory activities and tools enforce it.</summary>
    public MemoryAccess Memory { get; init; } = MemoryAccess.Unrestricted;

    /// <summary>This execution of the node (its StepRun id): the same across attempts and recovery, new per loop pass.</summary>
    public Guid Activation { get; init; }

    /// <summary>
    /// Stable across attempts and recovery: an external effect sent with this key twice happens once.
    /// </summary>
    public string IdempotencyKey => $"{RunId:N}.{NodeId}.{Activation:N}";
}
