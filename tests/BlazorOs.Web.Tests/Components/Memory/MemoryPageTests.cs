using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

public sealed class MemoryPageTests : StoreBunitContext
{
    [Fact]
    public void An_empty_memory_says_how_facts_get_in()
    {
        var page = RenderPage();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("Memory is empty", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("memory.write", empty.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("table"));
    }

    [Fact]
    public async Task Facts_from_the_store_are_listed_with_their_source()
    {
        await SeedFactsAsync();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(
            [("Globex", "preferred channel", "Agent: run-assistant"), ("Acme Ltd", "payment terms", "Operator: operator")],
            Rows(page).Select(r => (r[0], r[1], r[5]))));
        Assert.StartsWith("30 days", Rows(page)[1][2], StringComparison.Ordinal);
        // Invariant culture, as everywhere in the UI.
        Assert.Equal("90 %", Rows(page)[1][4]);
    }

    [Fact]
    public async Task Search_narrows_the_list_and_says_when_nothing_matches()
    {
        await SeedFactsAsync();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        page.Find("input").Input("acme");

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd"], Rows(page).Select(r => r[0])));

        page.Find("input").Input("initech");

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("No fact matches", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing matches \"initech\"", empty.TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<MemoryPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<MemoryPage>();
    }

    private async Task SeedFactsAsync()
    {
        var facts = Get<FactService>();
        await facts.AddAsync(new NewFact("Acme Ltd", "payment terms", FactValue.OfText("30 days"), "business", 0.9),
            ProvenanceSource.Operator, "operator", Xunit.TestContext.Current.CancellationToken);
        // Written a moment later: the list is newest first.
        await Task.Delay(TimeSpan.FromMilliseconds(20), Xunit.TestContext.Current.CancellationToken);
        await facts.AddAsync(new NewFact("Globex", "preferred channel", FactValue.OfText("email"), "business", 1.0),
            ProvenanceSource.Agent, "run-assistant", Xunit.TestContext.Current.CancellationToken);
    }

    private static List<string[]> Rows(IRenderedComponent<MemoryPage> page) =>
        page.FindAll("table tbody tr").Select(row => row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
}
