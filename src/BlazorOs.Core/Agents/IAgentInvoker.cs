using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;

namespace BlazorOs.Core.Agents;

/// <summary>
/// One agent step's call to a model. The prompt is already rendered (plain text); tools are names from the
/// allow-list (<c>memory.search</c>, <c>http.get</c>); <see cref="AllowedHosts"/> bounds <c>http.get</c>.
/// </summary>
public sealed record AgentRequest(
    Guid RunId,
    string NodeId,
    string Prompt,
    string? System,
    ModelTier Tier,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> AllowedHosts,
    JsonNode? OutputSchema)
{
    /// <summary>The scopes the <c>memory.search</c> tool may return items from: the playbook's memory read access.</summary>
    public MemoryScopeSet MemoryReadable { get; init; } = MemoryScopeSet.All;

    /// <summary>The run's working notes that hold a query's words (<see cref="WorkingMemory.SearchAsync"/>), for <c>memory.search</c>.</summary>
    public Func<string?, int, CancellationToken, Task<IReadOnlyList<WorkingNote>>>? WorkingNotes { get; init; }
}

/// <summary>One tool call the model made, as the trace shows it.</summary>
public sealed record AgentToolCall(string Tool, string Arguments, string Result, bool Allowed);

/// <param name="Text">The model's final answer.</param>
/// <param name="Structured">The answer parsed as JSON when an output schema was asked for.</param>
public sealed record AgentReply(
    string Text,
    JsonNode? Structured,
    string Model,
    long TokensIn,
    long TokensOut,
    long CostMicros,
    IReadOnlyList<AgentToolCall> ToolCalls)
{
    /// <summary>
    /// The currency of <see cref="CostMicros"/>; null when the price table has no price for <see cref="Model"/>
    /// (the cost is then 0 because it is unknown, not because the call was free).
    /// </summary>
    public string? Currency { get; init; }
}

/// <summary>Keeps Semantic Kernel behind our own interface: activities never see SK types.</summary>
public interface IAgentInvoker
{
    /// <summary>False when no model is configured: agent steps then become operator tasks.</summary>
    bool IsAvailable { get; }

    /// <summary>Throws <see cref="AgentException"/> with a readable reason (endpoint down, garbage answer, schema mismatch).</summary>
    Task<AgentReply> InvokeAsync(AgentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="InvokeAsync"/>, and hands each piece of the answer to <paramref name="onText"/> as it
    /// arrives, for a live view. The reply is the same; the pieces are a preview (text the model writes before
    /// a tool call is streamed, yet is not part of the final <see cref="AgentReply.Text"/>).
    /// </summary>
    async Task<AgentReply> InvokeStreamingAsync(AgentRequest request, Action<string> onText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onText);
        var reply = await InvokeAsync(request, cancellationToken);
        onText(reply.Text);
        return reply;
    }
}

public sealed class AgentException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;

    /// <summary>
    /// What the failed call had spent (earlier tool rounds, an answer that did not match the schema), so the trace
    /// can record it; null when it failed before sending anything (no model, unknown tool).
    /// </summary>
    public AgentUsage? Usage { get; init; }
}

/// <summary>Tokens and cost of one call; <see cref="Currency"/> is null when the model has no price.</summary>
public sealed record AgentUsage(string Model, long TokensIn, long TokensOut, long CostMicros, string? Currency);
