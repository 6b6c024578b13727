using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>
/// A fact's page on a real store: the value and its provenance (the run and step that wrote it, linked), every revision
/// with old → new, who, where and why, and a revert that asks for a reason and adds a revision instead of rewriting one.
/// </summary>
public sealed class FactPageTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_shows_the_value_and_links_its_provenance_to_the_run_and_step_that_wrote_it()
    {
        var (fact, runId) = await FactWrittenByARunAsync();

        var page = RenderPage(fact.Id);

        page.WaitForAssertion(() => Assert.Equal("email", page.Find("[data-testid='current-value']").TextContent.Trim()));
        Assert.Equal("80 %", page.Find("[data-testid='fact-confidence']").TextContent.Trim());
        var provenance = page.Find("[data-testid='current-provenance']");
        Assert.Contains("Agent", provenance.TextContent, StringComparison.Ordinal);
        Assert.Equal("playbook: Lead follow-up", provenance.QuerySelector("[data-testid='provenance-actor']")!.TextContent.Trim());
        var run = provenance.QuerySelector("[data-testid='provenance-run']")!;
        Assert.Equal(($"/runs/{runId}", "run of Lead follow-up v1 (Running)"), (run.GetAttribute("href"), run.TextContent.Trim()));
        Assert.Equal("remember", provenance.QuerySelector("[data-testid='provenance-step']")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_history_lists_each_revision_newest_first_with_a_word_diff_who_and_why()
    {
        var (fact, _) = await FactWrittenByARunAsync();
        await Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create("email after 5 pm"), Reason: "They said so on the phone"),
            Operator(), Ct);

        var page = RenderPage(fact.Id);

        page.WaitForAssertion(() => Assert.Equal(["2", "1"], RevisionRows(page).Select(r => r.QuerySelector("td")!.TextContent.Trim())));
        var newest = RevisionRows(page)[0];
        Assert.Equal("email", newest.QuerySelector("[data-testid='value-change'] span")!.TextContent.Trim());
        Assert.Equal(" after 5 pm", newest.QuerySelector("ins")!.TextContent);
        Assert.Null(newest.QuerySelector("del"));
        Assert.Contains("They said so on the phone", newest.TextContent, StringComparison.Ordinal);
        Assert.Contains("Operator", newest.QuerySelector("[data-testid='provenance']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("current", newest.TextContent, StringComparison.Ordinal);
        var first = RevisionRows(page)[1];
        Assert.Contains("created as", first.TextContent, StringComparison.Ordinal);
        Assert.NotNull(first.QuerySelector("[data-testid='provenance-run']"));
    }

    [Fact]
    public async Task Reverting_asks_for_a_reason_and_adds_a_revision_with_the_old_value()
    {
        var (fact, _) = await FactWrittenByARunAsync();
        await Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create("fax"), Confidence: 0.2), Operator(), Ct);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(fact.Id);
        page.WaitForAssertion(() => Assert.Equal("fax", page.Find("[data-testid='current-value']").TextContent.Trim()));

        page.Find("button[aria-label='Revert to revision 1']").Click();

        var dialog = dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("Revert to revision 1?", dialog.TextContent, StringComparison.Ordinal);
        Assert.Equal(("fax", "email"), (dialogs.Find("[data-testid='revert-change'] del").TextContent, dialogs.Find("[data-testid='revert-change'] ins").TextContent));
        var confirm = dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Revert");
        Assert.True(confirm.HasAttribute("disabled"));
        dialogs.Find(".mud-dialog textarea").Input("The agent misheard: fax is gone");
        dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Revert").Click();

        page.WaitForAssertion(() => Assert.Equal("email", page.Find("[data-testid='current-value']").TextContent.Trim()));
        Assert.Equal("80 %", page.Find("[data-testid='fact-confidence']").TextContent.Trim());
        Assert.Equal(["3", "2", "1"], RevisionRows(page).Select(r => r.QuerySelector("td")!.TextContent.Trim()));
        Assert.Contains("Reverted to revision 1: The agent misheard: fax is gone", RevisionRows(page)[0].TextContent, StringComparison.Ordinal);
        var stored = (await Get<FactService>().RevisionsAsync(fact.Id, Ct))!;
        Assert.Equal(["email", "fax", "email"], stored.Select(r => r.NewText));
        Assert.Equal((ProvenanceSource.Operator, "operator"), (stored[^1].Provenance!.Source, stored[^1].Provenance!.Actor));
        // Revision 1's value is current again: nothing to revert to there; revision 2 can be brought back.
        Assert.Empty(page.FindAll("button[aria-label='Revert to revision 1']"));
        Assert.Single(page.FindAll("button[aria-label='Revert to revision 2']"));
    }

    [Fact]
    public async Task Cancelling_the_revert_changes_nothing()
    {
        var (fact, _) = await FactWrittenByARunAsync();
        await Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create("fax")), Operator(), Ct);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(fact.Id);
        page.WaitForAssertion(() => Assert.Equal(2, RevisionRows(page).Count));

        page.Find("button[aria-label='Revert to revision 1']").Click();
        dialogs.WaitForElement(".mud-dialog");
        dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(2, (await Get<FactService>().RevisionsAsync(fact.Id, Ct))!.Count);
        Assert.Equal("fax", page.Find("[data-testid='current-value']").TextContent.Trim());
    }

    [Fact]
    public async Task A_low_confidence_contradiction_asks_for_review_until_the_operator_accepts_it()
    {
        var (fact, runId) = await FactWrittenByARunAsync();
        var contradiction = Provenance.Of(ProvenanceSource.Agent, "playbook: Lead follow-up", Get<TimeProvider>().GetUtcNow().UtcDateTime, runId, "guess");
        await Get<FactService>().RememberAsync(new NewFact("Globex", "preferred channel", FactValue.OfText("carrier pigeon"), "business", 0.3),
            contradiction, reviewBelow: 0.7, Ct);
        var page = RenderPage(fact.Id);

        page.WaitForAssertion(() => Assert.Contains("contradicted this fact", page.Find("[data-testid='needs-review']").TextContent, StringComparison.Ordinal));
        Assert.Contains("conflict", page.FindAll("[data-testid='revisions'] tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("conflict", page.FindAll("[data-testid='revisions'] tbody tr")[1].TextContent, StringComparison.Ordinal);

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Accept current value").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='needs-review']")));
        Assert.False((await Get<FactService>().GetAsync(fact.Id, Ct))!.NeedsReview);
        Assert.Equal("carrier pigeon", page.Find("[data-testid='current-value']").TextContent.Trim());
        var reviewed = page.FindAll("[data-testid='revisions'] tbody tr")[0].TextContent;
        Assert.Contains("Reviewed: the current value is accepted", reviewed, StringComparison.Ordinal);
        Assert.Contains("Reviewed on the fact's page", reviewed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_fact_says_so()
    {
        var page = RenderPage(Guid.CreateVersion7());

        page.WaitForAssertion(() => Assert.Contains("This fact does not exist", page.Find("[data-testid='empty-state']").TextContent,
            StringComparison.Ordinal));
    }

    /// <summary>What <c>memory.write</c> stores: the run and node as provenance.</summary>
    private async Task<(Fact Fact, Guid RunId)> FactWrittenByARunAsync()
    {
        var version = await Seed.PlaybookAsync("Lead follow-up");
        var run = await Seed.RunAsync(version, TimeSpan.FromMinutes(3));
        var provenance = Provenance.Of(ProvenanceSource.Agent, "playbook: Lead follow-up", Get<TimeProvider>().GetUtcNow().UtcDateTime, run.Id,
            "remember", "Written by the step 'remember'");
        var fact = await Get<FactService>().AddAsync(new NewFact("Globex", "preferred channel", FactValue.OfText("email"), "business", 0.8),
            provenance, Ct);
        return (fact, run.Id);
    }

    private Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", Get<TimeProvider>().GetUtcNow().UtcDateTime);

    private IRenderedComponent<FactPage> RenderPage(Guid id)
    {
        Render<MudPopoverProvider>();
        return Render<FactPage>(p => p.Add(c => c.FactId, id));
    }

    private static List<AngleSharp.Dom.IElement> RevisionRows(IRenderedComponent<FactPage> page) =>
        [.. page.FindAll("[data-testid='revisions'] tbody tr")];
}
