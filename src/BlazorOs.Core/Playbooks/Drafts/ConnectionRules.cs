using BlazorOs.Core.Activities;
using BlazorOs.Core.Playbooks.Definition;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// The rules for drawing one edge, checked when it is drawn. The canvas checks the same ones while the edge is dragged
/// (wwwroot-assets/src/designer/rules.js, same wording); this is the server's own check of what reaches it. Whole-graph
/// rules (reachability, loops, a join's split) stay with the validator.
/// </summary>
public static class ConnectionRules
{
    private const string JoinKind = "join";

    /// <summary>Why the edge may not be drawn, or null when it may.</summary>
    public static string? Problem(DraftState state, ActivityCatalog catalog, string from, string port, string to)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(catalog);
        var source = state.Node(from);
        var target = state.Node(to);
        if (source is null || target is null)
        {
            return $"There is no step '{(source is null ? from : to)}'.";
        }

        if (from == to)
        {
            return "A step cannot lead back to itself.";
        }

        if (target.Kind.StartsWith("trigger.", StringComparison.Ordinal))
        {
            return $"'{to}' is the trigger: nothing may lead into it.";
        }

        var ports = catalog.PortsOf(source.Kind, source.Settings);
        if (!ports.Contains(port, StringComparer.Ordinal))
        {
            return ports.Count == 0
                ? $"'{from}' ({source.Kind}) has no output ports: nothing leaves it."
                : $"'{port}' is not a port of '{from}'; its ports: {string.Join(", ", ports)}.";
        }

        if (state.HasEdge(from, port, to))
        {
            return $"'{from}' already leads to '{to}' through '{port}'.";
        }

        if (target.Kind == JoinKind && port != PlaybookEdge.DefaultPort)
        {
            return $"A join waits for every branch, and the '{port}' port of '{from}' may never fire: "
                + "feed a join only from the next ports of one parallel split.";
        }

        return null;
    }
}
