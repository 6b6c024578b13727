namespace BlazorOs.Core.Activities;

/// <summary>Every node kind the engine can run, by <see cref="ActivityDescriptor.Kind"/>.</summary>
public sealed class ActivityCatalog
{
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

    public IActivity Get(string kind) => _byKind.TryGetValue(kind, out var activity)
        ? activity
        : throw new KeyNotFoundException($"No activity of kind '{kind}'.");
}
