using BlazorOs.Core.Settings;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Layout;

public sealed partial class MainLayout
{
    internal const string ThemeSettingKey = "ui.theme";

    private MudThemeProvider? _themeProvider;
    private bool _drawerOpen = true;
    private bool _darkMode;
    private bool _interactive;
    private string? _savedTheme;

    [Inject]
    private SettingsStore Settings { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Read on the server during prerender, so an explicit choice shows without a flash.
        _savedTheme = await Settings.GetAsync(ThemeSettingKey);
        _darkMode = _savedTheme == "dark";
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (_savedTheme is null && _themeProvider is not null)
        {
            _darkMode = await _themeProvider.GetSystemDarkModeAsync();
        }

        _interactive = true;
        StateHasChanged();
    }

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        _savedTheme = _darkMode ? "dark" : "light";
        await Settings.SetAsync(ThemeSettingKey, _savedTheme);
    }
}
