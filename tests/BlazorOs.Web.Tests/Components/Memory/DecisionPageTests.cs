using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>A decision's page: its content and provenance, a field-by-field history, and a revert that adds a revision.</summary>
public sealed class DecisionPageTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_history_shows_what_changed_per_field_and_a_revert_brings_the_old_content_back_as_a_new_revision()
    {
        var version = await Seed.PlaybookAsync("Pricing");
        var run = await Seed.RunAsync(version, TimeSpan.FromMinutes(5));
        var decisions = Get<DecisionService>();
        var decision = await decisions.AddAsync(new NewDecision("Offer Acme a 5 % discount", "They pay early", ["No discount", "10 %"],
            DecisionMaker.Agent, RunId: run.Id), Provenance.Of(ProvenanceSource.Agent, "playbook: Pricing", Now, run.Id, "decide"), Ct);
        await decisions.ChangeAsync(decision.Id, new DecisionChange("Offer Acme a 10 % discount", "They pay early", ["No discount", "10 %"],
            "Agent raised it"), Provenance.Of(ProvenanceSource.Agent, "playbook: Pricing", Now), Ct);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();

        var page = Render<DecisionPage>(p => p.Add(d => d.DecisionId, decision.Id));

        page.WaitForAssertion(() => Assert.Equal("Offer Acme a 10 % discount", page.Find("h1").TextContent.Trim()));
        Assert.Contains("run of Pricing v1", page.Find("[data-testid='decision-content']").TextContent, StringComparison.Ordinal);
        var rows = page.FindAll("[data-testid='revisions'] tbody tr");
        Assert.Equal(["2", "1"], rows.Select(r => r.QuerySelector("td")!.TextContent.Trim()));
        var change = rows[0].QuerySelector("[data-testid='content-change']")!;
        Assert.Equal(["title"], change.QuerySelectorAll("[data-field]").Select(f => f.GetAttribute("data-field")));
        Assert.Equal(("5", "10"), (change.QuerySelector("del")!.TextContent.Trim(), change.QuerySelector("ins")!.TextContent.Trim()));
        Assert.NotNull(rows[1].QuerySelector("[data-testid='provenance-step']"));

        page.Find("button[aria-label='Revert to revision 1']").Click();
        dialogs.WaitForElement(".mud-dialog textarea").Input("Finance capped it at 5 %");
        dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Revert").Click();

        page.WaitForAssertion(() => Assert.Equal("Offer Acme a 5 % discount", page.Find("h1").TextContent.Trim()));
        var history = (await decisions.RevisionsAsync(decision.Id, Ct))!;
        Assert.Equal((3, "Reverted to revision 1: Finance capped it at 5 %", ProvenanceSource.Operator),
            (history.Count, history[^1].Reason, history[^1].Provenance!.Source));
        Assert.Equal(history[0].NewJson, history[^1].NewJson);
    }

    [Fact]
    public void An_unknown_decision_says_so()
    {
        var page = Render<DecisionPage>(p => p.Add(d => d.DecisionId, Guid.CreateVersion7()));

        page.WaitForAssertion(() => Assert.Contains("This decision does not exist", page.Markup, StringComparison.Ordinal));
    }

    private DateTime Now => Get<TimeProvider>().GetUtcNow().UtcDateTime;
}
