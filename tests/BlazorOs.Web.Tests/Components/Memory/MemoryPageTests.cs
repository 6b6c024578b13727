using AngleSharp.Dom;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>
/// The explorer on a real store: ranked full-text search, facets whose counts follow the other filters, filters that
/// narrow the list, pages of results, and each result a link to its item page.
/// </summary>
public sealed class MemoryPageTests : StoreBunitContext
{
    private const string SearchBox = "input[placeholder='Search subject, predicate or value']";

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
    public async Task Items_are_listed_newest_first_with_type_scope_and_source_and_link_to_their_page()
    {
        var (acme, globex) = await SeedTwoFactsAsync();

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(
            [("fact", "Globex · preferred channel", "Agent: run-assistant"), ("fact", "Acme Ltd · payment terms", "Operator: operator")],
            Rows(page).Zip(Titles(page), (r, title) => (r[0], title, r[4].Split('\n')[^1].Trim()))));
        Assert.Contains("30 days", Rows(page)[1][1], StringComparison.Ordinal);
        Assert.Equal(("clients:acme", "90 %"), (Rows(page)[1][2], Rows(page)[1][3]));
        Assert.Equal([$"/memory/facts/{globex.Id}", $"/memory/facts/{acme.Id}"],
            page.FindAll("[data-testid='memory-item-link']").Select(a => a.GetAttribute("href")));
        Assert.Equal("2 items", page.Find("[data-testid='memory-count']").TextContent.Trim());
    }

    [Fact]
    public async Task Search_ranks_subject_matches_first_and_says_when_nothing_matches()
    {
        await SeedTwoFactsAsync();
        await AddAsync("Initech", "supplier", "Acme Ltd", "business", ProvenanceSource.Operator);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        page.Find(SearchBox).Input("acme");

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd · payment terms", "Initech · supplier"], Titles(page)));
        Assert.StartsWith("Relevance ", page.Find("[data-testid='memory-results'] tbody td").GetAttribute("title"), StringComparison.Ordinal);

        page.Find(SearchBox).Input("umbrella");

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("Nothing matches \"umbrella\"", empty.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_a_scope_facet_filters_the_list_and_the_other_facets_count_what_is_left()
    {
        await SeedTwoFactsAsync();
        await AddAsync("Hooli", "budget", "big", "clients:acme", ProvenanceSource.Agent);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(["business (1)", "clients:acme (2)"], Facet(page, "scope").Order(StringComparer.Ordinal)));
        Assert.Equal(["Agent (2)", "Operator (1)"], Facet(page, "source"));
        Assert.Equal(["fact (3)"], Facet(page, "type"));

        page.Find("[data-testid='facet-scope'] [data-facet='clients:acme']").Click();

        page.WaitForAssertion(() => Assert.Equal(["Hooli · budget", "Acme Ltd · payment terms"], Titles(page)));
        Assert.Equal(["Agent (1)", "Operator (1)"], Facet(page, "source"));
        // The scope facet still offers every scope, counted without its own filter.
        Assert.Equal(["business (1)", "clients:acme (2)"], Facet(page, "scope").Order(StringComparer.Ordinal));

        page.Find("[data-testid='facet-source'] [data-facet='Operator']").Click();

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd · payment terms"], Titles(page)));
    }

    [Fact]
    public async Task The_subject_filter_keeps_matching_subjects()
    {
        await SeedTwoFactsAsync();
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        page.FindAll("input").Single(i => i.GetAttribute("placeholder") is null && InputLabel(page, i) == "Subject contains").Input("glob");

        page.WaitForAssertion(() => Assert.Equal(["Globex · preferred channel"], Titles(page)));
    }

    [Fact]
    public async Task Many_items_come_in_pages_of_twenty_five()
    {
        for (var i = 0; i < 30; i++)
        {
            await AddAsync($"Client {i:00}", "status", "active", "business", ProvenanceSource.Import);
        }

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));
        Assert.Equal("30 items · page 1 of 2", page.Find("[data-testid='memory-count']").TextContent.Trim());
        page.FindAll("[data-testid='memory-pages'] button").Single(b => b.TextContent.Trim() == "2").Click();
        page.WaitForAssertion(() => Assert.Equal(5, Rows(page).Count));
        Assert.Equal("30 items · page 2 of 2", page.Find("[data-testid='memory-count']").TextContent.Trim());
    }

    [Fact]
    public async Task Decisions_and_records_are_listed_beside_facts_and_the_type_facet_narrows_to_one_type()
    {
        await SeedTwoFactsAsync();
        var operatorWrote = Provenance.Of(ProvenanceSource.Operator, "operator", Get<TimeProvider>().GetUtcNow().UtcDateTime);
        var decision = await Get<DecisionService>().AddAsync(new NewDecision("Drop the fax channel", "Nobody answers it", ["Keep it"]),
            operatorWrote, Xunit.TestContext.Current.CancellationToken);
        var record = await Get<RecordService>().AddAsync("company", new System.Text.Json.Nodes.JsonObject { ["name"] = "Globex Corp", ["industry"] = "Energy" },
            "clients:acme", Provenance.Of(ProvenanceSource.Import, "import", Get<TimeProvider>().GetUtcNow().UtcDateTime),
            Xunit.TestContext.Current.CancellationToken);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(["decision (1)", "fact (2)", "record (1)"], Facet(page, "type").Order(StringComparer.Ordinal)));
        Assert.Contains($"/memory/decisions/{decision.Id}", page.FindAll("[data-testid='memory-item-link']").Select(a => a.GetAttribute("href")));
        Assert.Contains($"/memory/records/{record.Id}", page.FindAll("[data-testid='memory-item-link']").Select(a => a.GetAttribute("href")));

        page.Find("[data-testid='facet-type'] [data-facet='decision']").Click();

        page.WaitForAssertion(() => Assert.Equal(["Drop the fax channel"], Titles(page)));
        Assert.Contains("over Keep it", Rows(page)[0][1], StringComparison.Ordinal);

        page.Find("[data-testid='facet-type'] [data-facet='decision']").Click();
        page.Find(SearchBox).Input("globex");

        page.WaitForAssertion(() => Assert.Equal(["record", "fact"], Rows(page).Select(r => r[0]).Distinct()));
        Assert.Contains("Globex Corp", Titles(page));
    }

    [Fact]
    public async Task The_needs_review_filter_counts_the_flagged_facts_and_keeps_only_them_in_the_list_and_in_a_search()
    {
        var (_, globex) = await SeedTwoFactsAsync();
        var guess = Provenance.Of(ProvenanceSource.Agent, "run-assistant", Get<TimeProvider>().GetUtcNow().UtcDateTime);
        await Get<FactService>().RememberAsync(new NewFact("Globex", "preferred channel", FactValue.OfText("carrier pigeon"), "business", 0.3),
            guess, reviewBelow: 0.7, Xunit.TestContext.Current.CancellationToken);
        await AddAsync("Globex", "headcount", "120", "business", ProvenanceSource.Operator);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        Assert.Equal("Needs review (1)", page.Find("[data-testid='filter-needs-review']").TextContent.Trim());

        page.Find("[data-testid='filter-needs-review'] input").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["Globex · preferred channel"], Titles(page)));
        Assert.Contains("needs review", Rows(page)[0][1], StringComparison.Ordinal);
        Assert.Equal($"/memory/facts/{globex.Id}", page.Find("[data-testid='memory-item-link']").GetAttribute("href"));

        page.Find(SearchBox).Input("globex");

        page.WaitForAssertion(() => Assert.Equal(["Globex · preferred channel"], Titles(page)));
        Assert.Equal("Needs review (1)", page.Find("[data-testid='filter-needs-review']").TextContent.Trim());

        await Get<FactService>().MarkReviewedAsync(globex.Id, Provenance.Of(ProvenanceSource.Operator, "operator", DateTime.UtcNow),
            Xunit.TestContext.Current.CancellationToken);
        page.Find(SearchBox).Input("globe");

        page.WaitForAssertion(() => Assert.Equal("Needs review (0)", page.Find("[data-testid='filter-needs-review']").TextContent.Trim()));
        Assert.Empty(Titles(page));
    }

    [Fact]
    public async Task A_link_with_needsReview_true_opens_the_explorer_on_the_flagged_facts()
    {
        await SeedTwoFactsAsync();
        await Get<FactService>().RememberAsync(new NewFact("Acme Ltd", "payment terms", FactValue.OfText("60 days"), "clients:acme", 0.2),
            Provenance.Of(ProvenanceSource.Agent, "run-assistant", Get<TimeProvider>().GetUtcNow().UtcDateTime), reviewBelow: 0.7,
            Xunit.TestContext.Current.CancellationToken);
        Get<NavigationManager>().NavigateTo("/memory?needsReview=true");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(["Acme Ltd · payment terms"], Titles(page)));
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)page.Find("[data-testid='filter-needs-review'] input")).IsChecked);
    }

    private IRenderedComponent<MemoryPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<MemoryPage>();
    }

    private async Task<(Fact Acme, Fact Globex)> SeedTwoFactsAsync()
    {
        var acme = await AddAsync("Acme Ltd", "payment terms", "30 days", "clients:acme", ProvenanceSource.Operator, "operator", 0.9);
        var globex = await AddAsync("Globex", "preferred channel", "email", "business", ProvenanceSource.Agent, "run-assistant");
        return (acme, globex);
    }

    /// <summary>Written a moment after the one before: the list is newest first.</summary>
    private async Task<Fact> AddAsync(string subject, string predicate, string value, string scope, ProvenanceSource source,
        string actor = "someone", double confidence = 1.0)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(5), Xunit.TestContext.Current.CancellationToken);
        return await Get<FactService>().AddAsync(new NewFact(subject, predicate, FactValue.OfText(value), scope, confidence), source, actor,
            Xunit.TestContext.Current.CancellationToken);
    }

    private static List<string[]> Rows(IRenderedComponent<MemoryPage> page) =>
        page.FindAll("table tbody tr").Select(row => row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();

    private static List<string> Titles(IRenderedComponent<MemoryPage> page) =>
        page.FindAll("[data-testid='memory-item-link']").Select(a => a.TextContent.Trim()).ToList();

    private static List<string> Facet(IRenderedComponent<MemoryPage> page, string name) =>
        page.FindAll($"[data-testid='facet-{name}'] .mud-chip").Select(c => c.TextContent.Trim()).ToList();

    private static string? InputLabel(IRenderedComponent<MemoryPage> page, IElement input) =>
        input.Id is { Length: > 0 } id ? page.FindAll($"label[for='{id}']").FirstOrDefault()?.TextContent.Trim() : null;
}
