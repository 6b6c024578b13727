using MudBlazor;

namespace BlazorOs.Web.Components.Layout;

internal static class BlazorOsTheme
{
    // System fonts only: the app must look right with no internet access.
    private static readonly string[] FontStack = ["Roboto", "system-ui", "-apple-system", "Segoe UI", "Liberation Sans", "Helvetica", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#594ae2",
            AppbarBackground = "#2d2a5a",
            Background = "#f7f7fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8b7ff5",
            AppbarBackground = "#1f1d3d",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
            H4 = new H4Typography { FontFamily = FontStack, FontSize = "1.75rem", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
