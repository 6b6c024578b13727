using System.Collections.Immutable;
using System.Text.Json.Nodes;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// One step of a draft. Never changed in place: a command makes a new record for every node it touches, so a
/// <see cref="DraftState"/> can be kept on the undo stack as it is, and "changed" is a reference comparison.
/// The settings object belongs to this record alone; commands clone what they are given.
/// </summary>
public sealed record DraftNode(string Id, string Kind, string? Label, double X, double Y, JsonObject Settings,
    RetryPolicy? Retry = null, int? TimeoutMs = null);

/// <summary>An edge of a draft; its <see cref="Id"/> is what the canvas calls it (node ids never contain '|').</summary>
public sealed record DraftEdge(string From, string Port, string To)
{
    public string Id => $"{From}|{Port}|{To}";
}

/// <summary>The playbook-level fields of a draft: what the playbook panel edits.</summary>
public sealed record DraftInfo(
    string Name,
    string? Description,
    DelegationLevel Delegation,
    ImmutableList<PlaybookInput> Inputs,
    ImmutableList<PlaybookKpi> Kpis,
    string? WebhookSecret,
    DraftMemory? Memory = null)
{
    public static DraftInfo Named(string name) => new(name, null, DelegationLevel.Approval, [], [], null);
}

/// <summary>
/// The playbook's declared memory scopes as typed (patterns such as <c>business</c>, <c>clients:*</c>); null on
/// <see cref="DraftInfo.Memory"/> means undeclared: every scope. Kept as text so a bad pattern reaches the validator,
/// which names it, instead of vanishing from the draft.
/// </summary>
public sealed record DraftMemory(ImmutableList<string> Read, ImmutableList<string> Write)
{
    public bool SameAs(DraftMemory? other) =>
        other is not null && Read.SequenceEqual(other.Read) && Write.SequenceEqual(other.Write);
}

/// <summary>
/// A playbook as the designer holds it: possibly invalid (a step without its prompt, a node nobody reaches),
/// because a graph is drawn one step at a time. Validation happens on the document it writes
/// (<see cref="DraftDocument.Write"/>), with the same rules as on save.
/// </summary>
public sealed record DraftState(DraftInfo Info, ImmutableList<DraftNode> Nodes, ImmutableList<DraftEdge> Edges)
{
    public static DraftState Empty(string name) => new(DraftInfo.Named(name), [], []);

    public DraftNode? Node(string id) => Nodes.Find(n => n.Id == id);

    public bool HasEdge(string from, string port, string to) => Edges.Exists(e => e.From == from && e.Port == port && e.To == to);

    /// <summary>A readable id not yet taken: <c>agent</c>, <c>agent_2</c>, …; <c>memory.read</c> becomes <c>memory_read</c>.</summary>
    public string NewNodeId(string kind, ISet<string>? alsoTaken = null)
    {
        var stem = new string([.. kind.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);
        stem = stem.StartsWith("trigger_", StringComparison.Ordinal) ? "start" : stem;
        stem = stem.Length is 0 or > 56 ? "step" : stem;
        var taken = Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 1; ; i++)
        {
            var id = i == 1 ? stem : $"{stem}_{i}";
            if (!taken.Contains(id) && alsoTaken?.Contains(id) != true)
            {
                return id;
            }
        }
    }
}
