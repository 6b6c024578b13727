using System.Reflection;
using BlazorOs.Core.Activities;
using MudBlazor;

namespace BlazorOs.Web.Components.Playbooks;

/// <summary>
/// How a kind looks in the palette and on the canvas, derived from the catalog alone: a colour per category and the
/// MudBlazor icon its descriptor names (e.g. "Icons.Material.Outlined.Psychology").
/// </summary>
internal static class ActivityAppearance
{
    public static string ColorOf(ActivityCategory category) => category switch
    {
        ActivityCategory.Trigger => "#2e7d32",
        ActivityCategory.Ai => "#7b1fa2",
        ActivityCategory.Connector => "#1565c0",
        ActivityCategory.Flow => "#e65100",
        ActivityCategory.Human => "#00838f",
        ActivityCategory.Memory => "#6d4c41",
        _ => "#455a64",
    };

    public static string CategoryName(ActivityCategory category) => category switch
    {
        ActivityCategory.Trigger => "Triggers",
        ActivityCategory.Ai => "AI",
        ActivityCategory.Connector => "Connectors",
        ActivityCategory.Flow => "Flow",
        ActivityCategory.Human => "People",
        ActivityCategory.Memory => "Memory",
        _ => "End",
    };

    /// <summary>The SVG of an icon named like "Icons.Material.Outlined.Psychology"; a generic one when the name is unknown.</summary>
    public static string IconOf(string name)
    {
        var parts = name.Split('.');
        if (parts is ["Icons", "Material", var family, var icon])
        {
            var type = typeof(Icons.Material).GetNestedType(family, BindingFlags.Public);
            if (type?.GetField(icon, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is string svg)
            {
                return svg;
            }
        }

        return Icons.Material.Outlined.Widgets;
    }
}
