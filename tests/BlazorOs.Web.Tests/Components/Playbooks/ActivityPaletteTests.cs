using BlazorOs.Core.Activities;
using BlazorOs.Web.Components.Playbooks;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Playbooks;

/// <summary>The palette shows exactly the catalog's kinds, each draggable with its kind, and adds the one clicked.</summary>
public sealed class ActivityPaletteTests : StoreBunitContext
{
    [Fact]
    public void Every_kind_of_the_catalog_is_offered_by_category_and_can_be_dragged()
    {
        Render<MudPopoverProvider>();
        var palette = Render<ActivityPalette>();

        var kinds = palette.FindAll("[data-palette-kind]").Select(e => e.GetAttribute("data-palette-kind")).ToList();
        Assert.Equal(Get<ActivityCatalog>().Descriptors.Select(d => d.Kind), kinds);
        Assert.All(palette.FindAll("[data-palette-kind]"), item => Assert.Equal("true", item.GetAttribute("draggable")));
        Assert.Equal(["Triggers", "AI", "Connectors", "Flow", "People", "Memory", "End"],
            palette.FindAll(".bos-palette-group").Select(g => g.TextContent.Trim()));
        Assert.Equal("Add Agent", palette.Find("[data-palette-kind=agent]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Search_matches_names_kinds_and_descriptions()
    {
        Render<MudPopoverProvider>();
        var palette = Render<ActivityPalette>();

        palette.Find("input").Input("memory");
        palette.WaitForAssertion(() => Assert.Equal(["memory.read", "memory.write"],
            palette.FindAll("[data-palette-kind]").Select(e => e.GetAttribute("data-palette-kind"))));

        palette.Find("input").Input("language model");
        palette.WaitForAssertion(() => Assert.Equal("agent", Assert.Single(palette.FindAll("[data-palette-kind]")).GetAttribute("data-palette-kind")));

        palette.Find("input").Input("nothing like this");
        palette.WaitForAssertion(() => Assert.Contains("No step matches", palette.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Clicking_a_kind_asks_to_add_it()
    {
        string? added = null;
        Render<MudPopoverProvider>();
        var palette = Render<ActivityPalette>(p => p.Add(c => c.OnAdd, kind => added = kind));

        palette.Find("[data-palette-kind=approval]").Click();

        Assert.Equal("approval", added);
    }
}
