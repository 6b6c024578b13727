using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;

namespace BlazorOs.Core.Playbooks.Definition;

/// <summary>
/// The rules about the graph as a whole (CONTRACTS §1), checked on the nodes and edges that were valid on their own:
/// exactly one trigger, every node reachable from it, no cycle that could spin without pause, joins fed only by the
/// unconditional branches of one split, and KPI contributions only to declared KPIs.
/// </summary>
internal static class PlaybookGraphRules
{
    private const string TriggerWebhook = "trigger.webhook";
    private const string ParallelKind = "parallel";
    private const string JoinKind = "join";

    /// <summary>Kinds that make a loop safe: each pass waits for the clock or for a person.</summary>
    private static readonly HashSet<string> PausingKinds = new(["delay", "approval"], StringComparer.Ordinal);

    /// <param name="links">Every edge between existing nodes, including those with a problem of their own.</param>
    public static void Check(IReadOnlyList<ParsedNode> nodes, IReadOnlyList<ParsedEdge> edges, IReadOnlyList<(string From, string To)> links,
        IReadOnlyList<PlaybookKpi> kpis, string? webhookSecret, ProblemList problems)
    {
        var triggers = nodes.Where(n => n.Category == ActivityCategory.Trigger).ToList();
        if (triggers.Count == 0 && nodes.Count > 0)
        {
            problems.Add(null, "nodes", "A playbook needs exactly one trigger node (trigger.manual, trigger.schedule or trigger.webhook).");
        }

        foreach (var extra in triggers.Skip(1))
        {
            problems.Add(extra.Id, "kind", $"A playbook has exactly one trigger, and '{triggers[0].Id}' is already its trigger.");
        }

        if (triggers.Count > 0 && triggers[0].Kind == TriggerWebhook && webhookSecret is null)
        {
            problems.Add(null, "webhookSecret", "A playbook started by a webhook needs a webhookSecret (16 to 200 characters); callers send it in X-BlazorOs-Secret.");
        }

        var outgoing = edges.ToLookup(e => e.Edge.From, StringComparer.Ordinal);
        var incoming = edges.ToLookup(e => e.Edge.To, StringComparer.Ordinal);
        if (triggers.Count == 1)
        {
            CheckReachable(nodes, triggers[0], links.ToLookup(l => l.From, l => l.To, StringComparer.Ordinal), problems);
        }

        CheckCycles(nodes, outgoing, problems);
        CheckJoins(nodes, incoming, problems);
        CheckKpis(nodes, kpis, problems);
    }

    private static void CheckReachable(IReadOnlyList<ParsedNode> nodes, ParsedNode trigger, ILookup<string, string> links,
        ProblemList problems)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { trigger.Id };
        var pending = new Queue<string>([trigger.Id]);
        while (pending.TryDequeue(out var id))
        {
            foreach (var to in links[id])
            {
                if (reached.Add(to))
                {
                    pending.Enqueue(to);
                }
            }
        }

        foreach (var node in nodes.Where(n => !reached.Contains(n.Id)))
        {
            problems.Add(node.Id, "edges", $"Not reachable from the trigger '{trigger.Id}': connect it or remove it.");
        }
    }

    /// <summary>
    /// A cycle is allowed only when it passes a delay or an approval, so every pass waits for time or a person. Any
    /// cycle that avoids them is a cycle of the graph without those nodes: the strongly connected components of
    /// that graph (Tarjan, iterative so a long chain cannot overflow the stack) with more than one node are exactly
    /// the offending loops.
    /// </summary>
    private static void CheckCycles(IReadOnlyList<ParsedNode> nodes, ILookup<string, ParsedEdge> outgoing, ProblemList problems)
    {
        var candidates = nodes.Where(n => n.Kind is null || !PausingKinds.Contains(n.Kind)).ToList();
        var index = candidates.Select((n, i) => (n.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var successors = candidates.Select(n => outgoing[n.Id].Select(e => index.TryGetValue(e.Edge.To, out var to) ? to : -1)
            .Where(to => to >= 0).ToArray()).ToArray();

        foreach (var component in StronglyConnected(successors).Where(c => c.Count > 1))
        {
            var members = component.Order().Select(i => candidates[i].Id).ToList();
            problems.Add(members[0], "edges",
                $"The nodes {string.Join(", ", members)} form a loop without a delay or approval node; it would spin without pause.");
        }
    }

    private static List<List<int>> StronglyConnected(int[][] successors)
    {
        var count = successors.Length;
        var order = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var next = 0;
        for (var root = 0; root < count; root++)
        {
            if (order[root] >= 0)
            {
                continue;
            }

            var work = new Stack<(int Node, int Child)>();
            work.Push((root, 0));
            order[root] = low[root] = next++;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                var (node, child) = work.Pop();
                if (child < successors[node].Length)
                {
                    work.Push((node, child + 1));
                    var to = successors[node][child];
                    if (order[to] < 0)
                    {
                        order[to] = low[to] = next++;
                        stack.Push(to);
                        onStack[to] = true;
                        work.Push((to, 0));
                    }
                    else if (onStack[to])
                    {
                        low[node] = Math.Min(low[node], order[to]);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == order[node])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);
                    components.Add(component);
                }
            }
        }

        return components;
    }

    /// <summary>
    /// The join rule. The engine's join is a barrier that waits for every incoming edge, so every input must be sure
    /// to arrive, exactly once per split. For each incoming edge of a join we walk upwards to the split it belongs to:
    /// <list type="bullet">
    /// <item>every edge on the way must leave through <c>next</c>: a conditional port (<c>true</c>/<c>false</c>, a switch
    /// case or <c>default</c>, <c>approved</c>/<c>rejected</c>, <c>error</c>) may never fire and the join would wait for ever;</item>
    /// <item>every node on the way has exactly one incoming edge: a merge inside a branch would run the rest of the
    /// branch twice, and a node with none means the branch does not start at a split;</item>
    /// <item>a nested join is stepped over: its own split is found the same way and the walk goes on above that split;</item>
    /// <item>the walk ends at the first <c>parallel</c> node; meeting a node twice (a loop) breaks the rule.</item>
    /// </list>
    /// All inputs of one join must end at the same split.
    /// </summary>
    private static void CheckJoins(IReadOnlyList<ParsedNode> nodes, ILookup<string, ParsedEdge> incoming, ProblemList problems)
    {
        var kinds = nodes.ToDictionary(n => n.Id, n => n.Kind, StringComparer.Ordinal);
        var splits = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var join in nodes.Where(n => n.Kind == JoinKind))
        {
            if (SplitOf(join.Id, kinds, incoming, splits, new HashSet<string>(StringComparer.Ordinal), out var error) is null && error is not null)
            {
                problems.Add(join.Id, "edges", error);
            }
        }
    }

    private static string? SplitOf(string joinId, Dictionary<string, string?> kinds, ILookup<string, ParsedEdge> incoming,
        Dictionary<string, string?> splits, HashSet<string> visiting, out string? error)
    {
        error = null;
        if (splits.TryGetValue(joinId, out var known))
        {
            return known;
        }

        if (!visiting.Add(joinId))
        {
            error = $"The join '{joinId}' is inside a loop between its split and itself.";
            return null;
        }

        string? split = null;
        foreach (var edge in incoming[joinId])
        {
            var found = WalkUp(edge.Edge, joinId, kinds, incoming, splits, visiting, out error);
            if (found is null)
            {
                break;
            }

            if (split is not null && split != found)
            {
                error = $"The join '{joinId}' gets inputs from two splits, '{split}' and '{found}'; a join brings together the branches of one parallel node.";
                break;
            }

            split = found;
        }

        if (error is null && split is null && incoming[joinId].Any())
        {
            error = $"The join '{joinId}' has no input from a parallel node.";
        }

        splits[joinId] = error is null ? split : null;
        return splits[joinId];
    }

    private static string? WalkUp(PlaybookEdge start, string joinId, Dictionary<string, string?> kinds, ILookup<string, ParsedEdge> incoming,
        Dictionary<string, string?> splits, HashSet<string> visiting, out string? error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var edge = start;
        while (true)
        {
            if (edge.Port != PlaybookEdge.DefaultPort)
            {
                error = $"The join '{joinId}' waits for a branch that passes the conditional port '{edge.Port}' of '{edge.From}'; that branch may never come, so the join would wait for ever. Join only unconditional branches of one parallel node.";
                return null;
            }

            var node = edge.From;
            if (!seen.Add(node))
            {
                error = $"The join '{joinId}' is fed by a loop through '{node}'.";
                return null;
            }

            var kind = kinds.GetValueOrDefault(node);
            if (kind == ParallelKind)
            {
                error = null;
                return node;
            }

            if (kind == JoinKind)
            {
                // A complete inner split/join pair is one step of this branch: continue above the inner split.
                if (SplitOf(node, kinds, incoming, splits, visiting, out var inner) is not { } innerSplit)
                {
                    error = inner ?? $"The join '{joinId}' is fed by the join '{node}', which is not valid.";
                    return null;
                }

                node = innerSplit;
                seen.Add(node);
            }

            var above = incoming[node].ToList();
            if (above.Count != 1)
            {
                error = above.Count == 0
                    ? $"The join '{joinId}' gets an input that does not come from a parallel node (traced back to '{node}')."
                    : $"The branch into the join '{joinId}' merges {above.Count} edges at '{node}'; only a join may bring branches together.";
                return null;
            }

            edge = above[0].Edge;
        }
    }

    private static void CheckKpis(IReadOnlyList<ParsedNode> nodes, IReadOnlyList<PlaybookKpi> kpis, ProblemList problems)
    {
        var declared = kpis.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => n.Category == ActivityCategory.End))
        {
            if (node.Settings["kpi"] is not JsonObject contributions)
            {
                continue;
            }

            foreach (var (name, _) in contributions)
            {
                if (!declared.Contains(name))
                {
                    problems.Add(node.Id, "settings.kpi", $"'{name}' is not one of the playbook's KPIs; declare it under kpis.");
                }
            }
        }
    }
}
