using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// One change to a draft, as the designer asks for it. <see cref="Apply"/> returns the next state (or the same state
/// when nothing changes) and throws <see cref="DraftCommandException"/> when the change is not allowed;
/// <see cref="PlaybookDraft"/> keeps the states for undo and redo.
/// </summary>
public abstract partial record DraftCommand
{
    /// <summary>How far right of its predecessor a step added "after" lands, and the grid positions snap to.</summary>
    public const double StepGap = 280;
    public const double Grid = 10;

    /// <summary>What the undo button says, e.g. "Add Agent".</summary>
    public abstract string Description { get; }

    public abstract DraftState Apply(DraftState state, ActivityCatalog catalog);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    protected static partial Regex NodeIdPattern();

    protected static double Snap(double value) => Math.Round(value / Grid) * Grid;

    protected static string Plural(int count, string one) => count == 1 ? $"1 {one}" : string.Create(CultureInfo.InvariantCulture, $"{count} {one}s");

    protected static DraftState WithoutNodes(DraftState state, IReadOnlySet<string> ids) => state with
    {
        Nodes = state.Nodes.RemoveAll(n => ids.Contains(n.Id)),
        Edges = state.Edges.RemoveAll(e => ids.Contains(e.From) || ids.Contains(e.To)),
    };
}

/// <summary>Adds a step of <paramref name="Kind"/> at a position, or after <paramref name="After"/> (then connected from its first port).</summary>
public sealed record AddNodeCommand(string Kind, double X, double Y, string? After = null) : DraftCommand
{
    public override string Description => $"Add {Kind}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog)
    {
        if (!catalog.TryGet(Kind, out var activity))
        {
            throw new DraftCommandException($"Unknown kind '{Kind}'.");
        }

        var id = state.NewNodeId(Kind);
        var predecessor = After is null ? null : state.Node(After);
        var (x, y) = predecessor is null
            ? (X, Y)
            : (predecessor.X + StepGap, predecessor.Y + (state.Edges.Count(e => e.From == predecessor.Id) * 100));
        var node = new DraftNode(id, Kind, activity.Descriptor.DisplayName, Snap(x), Snap(y), []);
        var next = state with { Nodes = state.Nodes.Add(node) };
        if (predecessor is not null && catalog.PortsOf(predecessor.Kind, predecessor.Settings).FirstOrDefault() is { } port
            && ConnectionRules.Problem(next, catalog, predecessor.Id, port, id) is null)
        {
            next = next with { Edges = next.Edges.Add(new DraftEdge(predecessor.Id, port, id)) };
        }

        return next;
    }
}

public sealed record NodeMove(string Id, double X, double Y);

/// <summary>Moves steps where the canvas dropped them (one undo step for a whole selection or an auto-layout).</summary>
public sealed record MoveNodesCommand(IReadOnlyList<NodeMove> Moves, string? Reason = null) : DraftCommand
{
    public override string Description => Reason ?? $"Move {Plural(Moves.Count, "step")}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog)
    {
        var moves = Moves.GroupBy(m => m.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var nodes = state.Nodes.ConvertAll(node =>
            moves.TryGetValue(node.Id, out var move) && (Snap(move.X) != node.X || Snap(move.Y) != node.Y)
                ? node with { X = Snap(move.X), Y = Snap(move.Y) }
                : node);
        return nodes.SequenceEqual(state.Nodes, ReferenceEqualityComparer.Instance) ? state : state with { Nodes = nodes };
    }
}

/// <summary>Draws an edge; refused with the reason when a connection rule forbids it.</summary>
public sealed record ConnectCommand(string From, string Port, string To) : DraftCommand
{
    public override string Description => $"Connect {From} → {To}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog) =>
        ConnectionRules.Problem(state, catalog, From, Port, To) is { } problem
            ? throw new DraftCommandException(problem)
            : state with { Edges = state.Edges.Add(new DraftEdge(From, Port, To)) };
}

/// <summary>Deletes steps (with their edges) and edges.</summary>
public sealed record DeleteCommand(IReadOnlyList<string> NodeIds, IReadOnlyList<string> EdgeIds) : DraftCommand
{
    public override string Description => NodeIds.Count > 0 ? $"Delete {Plural(NodeIds.Count, "step")}" : $"Delete {Plural(EdgeIds.Count, "edge")}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog)
    {
        var edges = EdgeIds.ToHashSet(StringComparer.Ordinal);
        var next = WithoutNodes(state, NodeIds.ToHashSet(StringComparer.Ordinal));
        next = next with { Edges = next.Edges.RemoveAll(e => edges.Contains(e.Id)) };
        return next.Nodes.Count == state.Nodes.Count && next.Edges.Count == state.Edges.Count ? state : next;
    }
}

/// <summary>
/// Sets a step's id, label, settings, retry and timeout (the properties panel). A new id must be free and valid; edges
/// follow it. Edges from ports the new settings no longer have (a removed switch case) are deleted with it.
/// </summary>
public sealed record UpdateNodeCommand(string Id, string NewId, string? Label, JsonObject Settings, RetryPolicy? Retry, int? TimeoutMs)
    : DraftCommand
{
    public override string Description => NewId == Id ? $"Edit {Id}" : $"Rename {Id} to {NewId}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog)
    {
        var node = state.Node(Id) ?? throw new DraftCommandException($"There is no step '{Id}'.");
        if (NewId != Id && !NodeIdPattern().IsMatch(NewId))
        {
            throw new DraftCommandException($"'{NewId}' is not a valid id: 1 to 64 of a-z, 0-9, _ and -.");
        }

        if (NewId != Id && state.Node(NewId) is not null)
        {
            throw new DraftCommandException($"The id '{NewId}' is taken by another step.");
        }

        var updated = node with
        {
            Id = NewId,
            Label = string.IsNullOrWhiteSpace(Label) ? null : Label.Trim(),
            Settings = (JsonObject)Settings.DeepClone(),
            Retry = Retry,
            TimeoutMs = TimeoutMs,
        };
        var ports = catalog.PortsOf(updated.Kind, updated.Settings).ToHashSet(StringComparer.Ordinal);
        var edges = state.Edges
            .Select(e => e with { From = e.From == Id ? NewId : e.From, To = e.To == Id ? NewId : e.To })
            .Where(e => e.From != NewId || ports.Contains(e.Port) || !catalog.TryGet(updated.Kind, out _))
            .ToImmutableList();
        return state with { Nodes = state.Nodes.Replace(node, updated), Edges = edges };
    }
}

/// <summary>Sets the playbook-level fields (the playbook panel).</summary>
public sealed record UpdateInfoCommand(DraftInfo Info) : DraftCommand
{
    public override string Description => "Edit playbook";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog) => state with { Info = Info };
}

/// <summary>
/// Adds copies of steps (and the edges among them) shifted by an offset, under new ids: paste and duplicate.
/// </summary>
public sealed record PasteCommand(IReadOnlyList<DraftNode> Nodes, IReadOnlyList<DraftEdge> Edges, double Dx, double Dy) : DraftCommand
{
    public override string Description => $"Paste {Plural(Nodes.Count, "step")}";

    public override DraftState Apply(DraftState state, ActivityCatalog catalog)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var nodes = state.Nodes;
        foreach (var node in Nodes)
        {
            var id = state.NewNodeId(node.Kind, taken);
            taken.Add(id);
            ids[node.Id] = id;
            nodes = nodes.Add(node with { Id = id, X = Snap(node.X + Dx), Y = Snap(node.Y + Dy), Settings = (JsonObject)node.Settings.DeepClone() });
        }

        var edges = state.Edges.AddRange(Edges
            .Where(e => ids.ContainsKey(e.From) && ids.ContainsKey(e.To))
            .Select(e => new DraftEdge(ids[e.From], e.Port, ids[e.To])));
        return state with { Nodes = nodes, Edges = edges };
    }
}

/// <summary>Replaces the whole draft: an imported file or a restored version (one undo step).</summary>
public sealed record ReplaceCommand(DraftState State, string Reason) : DraftCommand
{
    public override string Description => Reason;

    public override DraftState Apply(DraftState state, ActivityCatalog catalog) => State;
}
