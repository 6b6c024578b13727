using BlazorOs.Core.Activities;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>The kinds of the activity catalog by category, searchable; each can be dragged onto the canvas or clicked.</summary>
public sealed partial class ActivityPalette
{
    private string? _search;

    [Inject]
    private ActivityCatalog Catalog { get; set; } = default!;

    /// <summary>A kind was clicked (or chosen with Enter): add it after the selection.</summary>
    [Parameter]
    public EventCallback<string> OnAdd { get; set; }

    private IEnumerable<IGrouping<ActivityCategory, ActivityDescriptor>> Groups =>
        Catalog.Descriptors.Where(Matches).GroupBy(d => d.Category);

    private bool Matches(ActivityDescriptor descriptor) =>
        string.IsNullOrWhiteSpace(_search)
        || descriptor.DisplayName.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
        || descriptor.Kind.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
        || descriptor.Description.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase);

    private Task KeyAsync(KeyboardEventArgs e, string kind) =>
        e.Key is "Enter" or " " ? OnAdd.InvokeAsync(kind) : Task.CompletedTask;
}
