using BlazorOs.Core.Operator;
using BlazorOs.Web.Components.Settings;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Settings;

/// <summary>A new key is shown once, in plaintext, and works; the store and later renders only know its hint.</summary>
public sealed class ApiKeysPanelTests : StoreBunitContext
{
    [Fact]
    public async Task A_created_key_is_shown_once_and_verifies()
    {
        var panel = RenderPanel();

        var plaintext = CreateKey(panel, "zapier");

        var key = await Get<ApiKeyService>().VerifyAsync(plaintext, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("zapier", key?.Name);
        var row = Assert.Single(panel.FindAll("table tbody tr"));
        Assert.Contains(plaintext[..8], row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext, row.TextContent, StringComparison.Ordinal);

        var later = Render<ApiKeysPanel>();
        later.WaitForAssertion(() => Assert.Contains("zapier", later.Find("table tbody tr").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(plaintext, later.Markup, StringComparison.Ordinal);
        Assert.Empty(later.FindAll("[data-testid='new-api-key']"));
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_the_key_stops_working()
    {
        var dialogs = Render<MudDialogProvider>();
        var panel = RenderPanel();
        var plaintext = CreateKey(panel, "zapier");
        var keys = Get<ApiKeyService>();

        panel.Find("table tbody tr button").Click();
        var keep = dialogs.WaitForElement(".mud-dialog .mud-dialog-actions button:first-child");
        Assert.Contains("will get 401 from now on", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        Assert.Equal("Keep", keep.TextContent.Trim());
        keep.Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.NotNull(await keys.VerifyAsync(plaintext, Xunit.TestContext.Current.CancellationToken));

        panel.Find("table tbody tr button").Click();
        var revoke = dialogs.WaitForElement(".mud-dialog .mud-dialog-actions button:last-child");
        Assert.Equal("Revoke", revoke.TextContent.Trim());
        revoke.Click();

        panel.WaitForAssertion(() => Assert.Contains("revoked", panel.Find("table tbody tr").TextContent, StringComparison.Ordinal));
        Assert.Null(await keys.VerifyAsync(plaintext, Xunit.TestContext.Current.CancellationToken));
        Assert.Empty(panel.FindAll("table tbody tr button"));
    }

    [Fact]
    public void With_no_keys_the_panel_says_how_to_get_one()
    {
        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Contains("No API keys yet", panel.Markup, StringComparison.Ordinal));
        Assert.Contains("BLAZOROS_API_KEY", panel.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<ApiKeysPanel> RenderPanel()
    {
        Render<MudPopoverProvider>();
        return Render<ApiKeysPanel>();
    }

    /// <summary>Types a name, presses "Create key" and returns the plaintext the panel shows.</summary>
    private static string CreateKey(IRenderedComponent<ApiKeysPanel> panel, string name)
    {
        var create = panel.FindAll("button").Single(b => b.TextContent.Trim() == "Create key");
        Assert.True(create.HasAttribute("disabled"));

        panel.Find("input").Change(name);
        panel.FindAll("button").Single(b => b.TextContent.Trim() == "Create key").Click();

        var shown = panel.WaitForElement("[data-testid='new-api-key']");
        Assert.Contains($"Key \"{name}\" created", panel.Find(".mud-alert").TextContent, StringComparison.Ordinal);
        return shown.TextContent.Trim();
    }
}
