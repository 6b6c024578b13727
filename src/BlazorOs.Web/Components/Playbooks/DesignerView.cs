using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;
using BlazorOs.Core.Playbooks.Drafts;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>How the canvas draws a kind: display name, colour, SVG icon, and whether it has an input port.</summary>
internal sealed record KindView(string Name, string Color, string Icon, bool Input);

/// <summary>A node as the canvas draws it; ports are the catalog's output ports for its settings.</summary>
internal sealed record NodeView(string Id, string Kind, string? Label, double X, double Y, IReadOnlyList<string> Ports);

internal sealed record EdgeView(string Source, string Port, string Target);

internal sealed record GraphView(IReadOnlyList<NodeView> Nodes, IReadOnlyList<EdgeView> Edges);

/// <summary>What changed, for designer.js's applyPatch; also new problem badges and what to select.</summary>
internal sealed record PatchView(
    IReadOnlyList<string> RemoveEdges,
    IReadOnlyList<string> RemoveNodes,
    IReadOnlyList<NodeView> AddNodes,
    IReadOnlyList<NodeView> UpdateNodes,
    IReadOnlyList<EdgeView> AddEdges,
    IReadOnlyDictionary<string, string[]> Problems,
    IReadOnlyList<string>? Select);

/// <summary>Maps the server's draft to what designer.js draws.</summary>
internal static class DesignerView
{
    public static Dictionary<string, KindView> Kinds(ActivityCatalog catalog) =>
        catalog.Descriptors.ToDictionary(d => d.Kind, d => new KindView(d.DisplayName, ActivityAppearance.ColorOf(d.Category),
            ActivityAppearance.IconOf(d.Icon), d.Category != ActivityCategory.Trigger), StringComparer.Ordinal);

    public static GraphView Graph(DraftState state, ActivityCatalog catalog) =>
        new([.. state.Nodes.Select(n => Node(n, catalog))], [.. state.Edges.Select(Edge)]);

    public static PatchView Patch(DraftChange change, ActivityCatalog catalog, IReadOnlyDictionary<string, string[]> problems,
        IReadOnlyList<string>? select = null) =>
        new(change.RemovedEdges, change.RemovedNodes, [.. change.AddedNodes.Select(n => Node(n, catalog))],
            [.. change.ChangedNodes.Select(n => Node(n, catalog))], [.. change.AddedEdges.Select(Edge)], problems, select);

    /// <summary>Each node's problem messages, by node id, for the canvas badges.</summary>
    public static Dictionary<string, string[]> ProblemsByNode(IReadOnlyList<PlaybookProblem> problems) =>
        problems.Where(p => p.NodeId is not null).GroupBy(p => p.NodeId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => $"{p.Field}: {p.Message}").ToArray(), StringComparer.Ordinal);

    private static NodeView Node(DraftNode node, ActivityCatalog catalog) =>
        new(node.Id, node.Kind, node.Label, node.X, node.Y, catalog.PortsOf(node.Kind, node.Settings));

    private static EdgeView Edge(DraftEdge edge) => new(edge.From, edge.Port, edge.To);
}
