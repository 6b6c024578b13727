namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// What one command (or undo, or redo) changed: the patch the canvas applies. Nodes are compared by reference, which is
/// exact because commands make a new record for every node they change.
/// </summary>
public sealed record DraftChange(
    IReadOnlyList<DraftNode> AddedNodes,
    IReadOnlyList<DraftNode> ChangedNodes,
    IReadOnlyList<string> RemovedNodes,
    IReadOnlyList<DraftEdge> AddedEdges,
    IReadOnlyList<string> RemovedEdges,
    bool InfoChanged)
{
    public static readonly DraftChange None = new([], [], [], [], [], false);

    public bool IsEmpty => AddedNodes.Count + ChangedNodes.Count + RemovedNodes.Count + AddedEdges.Count + RemovedEdges.Count == 0 && !InfoChanged;

    public static DraftChange Between(DraftState before, DraftState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (ReferenceEquals(before, after))
        {
            return None;
        }

        var old = before.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<DraftNode>();
        var changed = new List<DraftNode>();
        foreach (var node in after.Nodes)
        {
            if (!old.TryGetValue(node.Id, out var previous))
            {
                added.Add(node);
                continue;
            }

            kept.Add(node.Id);
            if (!ReferenceEquals(previous, node))
            {
                changed.Add(node);
            }
        }

        var removed = before.Nodes.Where(n => !kept.Contains(n.Id)).Select(n => n.Id).ToList();
        var oldEdges = before.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var newEdges = after.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        return new DraftChange(added, changed, removed,
            [.. after.Edges.Where(e => !oldEdges.Contains(e.Id))],
            [.. before.Edges.Where(e => !newEdges.Contains(e.Id)).Select(e => e.Id)],
            !ReferenceEquals(before.Info, after.Info));
    }
}
