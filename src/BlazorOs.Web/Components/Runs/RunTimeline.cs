using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// Puts a run's trace events under the steps that wrote them. A node can run more than once (a loop through an approval
/// or a delay), so an event goes to the node's latest step that had started by the event's time. Time, not sequence:
/// an instant step (a condition) writes its <c>step.started</c> together with its end, after the events it wrote
/// meanwhile, but stamped with its start. Retries and recoveries continue the same step row.
/// </summary>
internal static class RunTimeline
{
    private static readonly TimeSpan StampSlack = TimeSpan.FromMilliseconds(5);

    public static IReadOnlyList<StepView> Build(IReadOnlyList<StepRun> steps, IReadOnlyList<TraceMessage> trace,
        IReadOnlyDictionary<string, string?> labels, string? runInputsJson = null)
    {
        var ordered = steps.OrderBy(s => s.StartedAt).ThenBy(s => s.Id).ToList();
        var byNode = ordered.GroupBy(s => s.NodeId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var events = ordered.ToDictionary(s => s.Id, _ => new List<TraceMessage>());
        foreach (var message in trace)
        {
            if (message.NodeId is not { } node || !byNode.TryGetValue(node, out var rows))
            {
                continue;
            }

            // The start event is stamped just before its row: allow for that, far below the time between two activations.
            var row = rows.LastOrDefault(r => r.StartedAt <= message.At + StampSlack) ?? rows[0];
            events[row.Id].Add(message);
        }

        return [.. ordered.Select(s => new StepView(s, Label(s.NodeId, labels), events[s.Id], runInputsJson))];
    }

    /// <summary>Each node's latest status, for the canvas overlay; nodes the run has not reached are left out.</summary>
    public static Dictionary<string, string> StatusByNode(IReadOnlyList<StepRun> steps) =>
        steps.GroupBy(s => s.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => StepView.StatusName(g.MaxBy(s => s.StartedAt)!.Status), StringComparer.Ordinal);

    private static string Label(string nodeId, IReadOnlyDictionary<string, string?> labels) =>
        labels.GetValueOrDefault(nodeId) is { Length: > 0 } label && label != nodeId ? $"{label} ({nodeId})" : nodeId;
}
