using System.Text.Json.Nodes;

namespace BlazorOs.Core.Activities;

/// <summary>Every node kind the engine can run, by <see cref="ActivityDescriptor.Kind"/>.</summary>
public sealed class ActivityCatalog
{
    private const string ErrorPort = "error";

    private readonly Dictionary<string, IActivity> _byKind;

    public ActivityCatalog(IEnumerable<IActivity> activities)
    {
        _byKind = new Dictionary<string, IActivity>(StringComparer.Ordinal);
        foreach (var activity in activities)
        {
            if (!_byKind.TryAdd(activity.Descriptor.Kind, activity))
            {
                throw new ArgumentException($"Two activities claim the kind '{activity.Descriptor.Kind}'.", nameof(activities));
            }
        }
    }

    public IEnumerable<ActivityDescriptor> Descriptors => _byKind.Values.Select(a => a.Descriptor).OrderBy(d => d.Category).ThenBy(d => d.Kind, StringComparer.Ordinal);

    public bool TryGet(string kind, out IActivity activity) => _byKind.TryGetValue(kind, out activity!);

    /// <summary>
    /// The ports an edge may leave a node of <paramref name="kind"/> through: the kind's ports for these settings, plus
    /// <c>error</c> on every node that runs something (CONTRACTS: "Every node also has an error port") — not on triggers
    /// and ends. Empty for an unknown kind.
    /// </summary>
    public IReadOnlyList<string> PortsOf(string kind, JsonObject settings)
    {
        if (!_byKind.TryGetValue(kind, out var activity))
        {
            return [];
        }

        var ports = activity.PortsFor(settings);
        return activity.Descriptor.Category is ActivityCategory.Trigger or ActivityCategory.End || ports.Contains(ErrorPort)
            ? ports
            : [.. ports, ErrorPort];
    }

    public IActivity Get(string kind) => _byKind.TryGetValue(kind, out var activity)
        ? activity
        : throw new KeyNotFoundException($"No activity of kind '{kind}'.");
}
