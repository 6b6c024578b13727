using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// Puts a run's trace events under the steps that wrote them. A node can run more than once (a loop through an approval
/// or a delay), so events are matched by order, not by node alone: each <c>step.started</c> of a node opens that
/// node's next step (its rows in start order); the events after it, up to the node's next start, are that step's.
/// Retries and recoveries continue the same step row and write no new start.
/// </summary>
internal static class RunTimeline
{
    public static IReadOnlyList<StepView> Build(IReadOnlyList<StepRun> steps, IReadOnlyList<TraceMessage> trace,
        IReadOnlyDictionary<string, string?> labels)
    {
        var ordered = steps.OrderBy(s => s.StartedAt).ThenBy(s => s.Id).ToList();
        var byNode = ordered.GroupBy(s => s.NodeId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var events = ordered.ToDictionary(s => s.Id, _ => new List<TraceMessage>());
        var opened = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in trace)
        {
            if (message.NodeId is not { } node || !byNode.TryGetValue(node, out var rows))
            {
                continue;
            }

            var index = opened.GetValueOrDefault(node, -1);
            if (message.Kind == "step.started")
            {
                opened[node] = ++index;
            }

            events[rows[Math.Clamp(index, 0, rows.Count - 1)].Id].Add(message);
        }

        return [.. ordered.Select(s => new StepView(s, Label(s.NodeId, labels), events[s.Id]))];
    }

    /// <summary>Each node's latest status, for the canvas overlay; nodes the run has not reached are left out.</summary>
    public static Dictionary<string, string> StatusByNode(IReadOnlyList<StepRun> steps) =>
        steps.GroupBy(s => s.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => StepView.StatusName(g.MaxBy(s => s.StartedAt)!.Status), StringComparer.Ordinal);

    private static string Label(string nodeId, IReadOnlyDictionary<string, string?> labels) =>
        labels.GetValueOrDefault(nodeId) is { Length: > 0 } label && label != nodeId ? $"{label} ({nodeId})" : nodeId;
}
