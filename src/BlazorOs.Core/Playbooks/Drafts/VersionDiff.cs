using System.Globalization;
using System.Text.Json.Nodes;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// What changed from one version of a playbook to the next, for the version list: steps added, removed, edited and
/// moved, edges added and removed, and which playbook-level fields changed.
/// </summary>
public sealed record VersionDiff(
    IReadOnlyList<string> AddedSteps,
    IReadOnlyList<string> RemovedSteps,
    IReadOnlyList<string> EditedSteps,
    int MovedSteps,
    int AddedEdges,
    int RemovedEdges,
    IReadOnlyList<string> ChangedFields,
    bool IsFirst)
{
    /// <summary>The difference from <paramref name="older"/> (null for a first version) to <paramref name="newer"/>.</summary>
    public static VersionDiff Between(DraftState? older, DraftState newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        if (older is null)
        {
            return new VersionDiff([.. newer.Nodes.Select(n => n.Id)], [], [], 0, newer.Edges.Count, 0, [], IsFirst: true);
        }

        var before = older.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var after = newer.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var edited = new List<string>();
        var moved = 0;
        foreach (var node in newer.Nodes)
        {
            if (before.TryGetValue(node.Id, out var old))
            {
                if (!SameContent(old, node))
                {
                    edited.Add(node.Id);
                }
                else if (old.X != node.X || old.Y != node.Y)
                {
                    moved++;
                }
            }
        }

        var oldEdges = older.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var newEdges = newer.Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var fields = new List<string>();
        var (a, b) = (older.Info, newer.Info);
        AddIf(fields, a.Name != b.Name, "name");
        AddIf(fields, (a.Description ?? "") != (b.Description ?? ""), "description");
        AddIf(fields, a.Delegation != b.Delegation, "delegation");
        AddIf(fields, !a.Inputs.SequenceEqual(b.Inputs), "inputs");
        AddIf(fields, !a.Kpis.SequenceEqual(b.Kpis), "KPIs");
        AddIf(fields, (a.WebhookSecret ?? "") != (b.WebhookSecret ?? ""), "webhook secret");
        AddIf(fields, !(a.Memory is null ? b.Memory is null : a.Memory.SameAs(b.Memory)), "memory scopes");
        return new VersionDiff(
            [.. newer.Nodes.Where(n => !before.ContainsKey(n.Id)).Select(n => n.Id)],
            [.. older.Nodes.Where(n => !after.ContainsKey(n.Id)).Select(n => n.Id)],
            edited, moved, newEdges.Count(e => !oldEdges.Contains(e)), oldEdges.Count(e => !newEdges.Contains(e)), fields, IsFirst: false);
    }

    /// <summary>One line, e.g. "+2 steps (draft, review) · 1 edited (send) · +3 edges · name changed".</summary>
    public string Summary
    {
        get
        {
            if (IsFirst)
            {
                return Invariant($"First version: {Count(AddedSteps.Count, "step")}, {Count(AddedEdges, "edge")}");
            }

            var parts = new List<string>();
            if (AddedSteps.Count > 0)
            {
                parts.Add(Invariant($"+{Count(AddedSteps.Count, "step")} ({Names(AddedSteps)})"));
            }

            if (RemovedSteps.Count > 0)
            {
                parts.Add(Invariant($"−{Count(RemovedSteps.Count, "step")} ({Names(RemovedSteps)})"));
            }

            if (EditedSteps.Count > 0)
            {
                parts.Add(Invariant($"{EditedSteps.Count} edited ({Names(EditedSteps)})"));
            }

            if (MovedSteps > 0)
            {
                parts.Add(Invariant($"{MovedSteps} moved"));
            }

            if (AddedEdges > 0 || RemovedEdges > 0)
            {
                parts.Add(Invariant($"+{AddedEdges}/−{RemovedEdges} edges"));
            }

            if (ChangedFields.Count > 0)
            {
                parts.Add($"{string.Join(", ", ChangedFields)} changed");
            }

            return parts.Count == 0 ? "No change" : string.Join(" · ", parts);
        }
    }

    private static bool SameContent(DraftNode a, DraftNode b) =>
        a.Kind == b.Kind && a.Label == b.Label && a.Retry == b.Retry && a.TimeoutMs == b.TimeoutMs
        && JsonNode.DeepEquals(a.Settings, b.Settings);

    private static void AddIf(List<string> fields, bool changed, string name)
    {
        if (changed)
        {
            fields.Add(name);
        }
    }

    private static string Names(IReadOnlyList<string> ids) =>
        ids.Count <= 3 ? string.Join(", ", ids) : Invariant($"{string.Join(", ", ids.Take(3))} and {ids.Count - 3} more");

    private static string Count(int count, string one) => count == 1 ? $"1 {one}" : Invariant($"{count} {one}s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
