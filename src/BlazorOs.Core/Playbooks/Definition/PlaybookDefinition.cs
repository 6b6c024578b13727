using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;

namespace BlazorOs.Core.Playbooks.Definition;

/// <summary>
/// A parsed <c>blazoros/playbook@1</c> document (CONTRACTS §1). Only <c>PlaybookDocument.Parse</c> makes one, so
/// every instance has passed validation.
/// </summary>
public sealed record PlaybookDefinition(
    string Schema,
    string Name,
    string? Description,
    DelegationLevel Delegation,
    IReadOnlyList<PlaybookInput> Inputs,
    IReadOnlyList<PlaybookKpi> Kpis,
    IReadOnlyList<PlaybookNode> Nodes,
    IReadOnlyList<PlaybookEdge> Edges,
    string? WebhookSecret)
{
    public const string SchemaV1 = "blazoros/playbook@1";

    /// <summary>The memory scopes its steps may read and write; every scope when the document declares none.</summary>
    public MemoryAccess Memory { get; init; } = MemoryAccess.Unrestricted;

    public PlaybookNode Node(string id) => Nodes.First(n => n.Id == id);

    public IEnumerable<PlaybookEdge> EdgesFrom(string nodeId) => Edges.Where(e => e.From == nodeId);

    public IEnumerable<PlaybookEdge> EdgesTo(string nodeId) => Edges.Where(e => e.To == nodeId);
}

/// <param name="Type"><c>string</c>, <c>number</c>, <c>boolean</c> or <c>object</c>.</param>
public sealed record PlaybookInput(string Name, string Type, bool Required, string? Description = null);

public sealed record PlaybookKpi(string Name, string Unit);

public sealed record NodePosition(double X, double Y);

/// <param name="Backoff"><c>fixed</c> or <c>exponential</c>.</param>
public sealed record RetryPolicy(int MaxAttempts, string Backoff, int InitialDelayMs)
{
    public static readonly RetryPolicy None = new(1, "fixed", 0);

    public TimeSpan DelayBefore(int attempt) => Backoff == "exponential"
        ? TimeSpan.FromMilliseconds(InitialDelayMs * Math.Pow(2, attempt - 2))
        : TimeSpan.FromMilliseconds(InitialDelayMs);
}

public sealed record PlaybookNode(
    string Id,
    string Kind,
    string? Label,
    NodePosition? Position,
    JsonObject Settings,
    RetryPolicy? Retry,
    int? TimeoutMs);

public sealed record PlaybookEdge(string From, string Port, string To)
{
    public const string DefaultPort = "next";
    public const string ErrorPort = "error";
}

/// <summary>One problem with a playbook document: where (node id and field, when known) and what.</summary>
public sealed record PlaybookProblem(string? NodeId, string Field, string Message)
{
    public override string ToString() => NodeId is null ? $"{Field}: {Message}" : $"node '{NodeId}', {Field}: {Message}";
}
