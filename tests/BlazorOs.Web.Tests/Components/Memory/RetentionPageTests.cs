using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>
/// The retention editor previews what a rule would delete without deleting anything, saves rules, and shows the scopes
/// in use; a scope's own rule shields it from its type's scope-less rule in the preview too.
/// </summary>
public sealed class RetentionPageTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_preview_lists_what_a_keep_latest_rule_would_delete_and_deletes_nothing()
    {
        foreach (var client in new[] { "Acme", "Globex", "Initech" })
        {
            await AddFactAsync(client, "business");
        }

        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("No rule yet", page.Markup, StringComparison.Ordinal));
        ChooseKeep(page, "the latest N");
        page.WaitForAssertion(() => Assert.Contains("Items", page.Find("[data-testid='retention-editor']").TextContent, StringComparison.Ordinal));
        NumberField(page, "Items").Input("1");

        Click(page, "Preview");

        var preview = page.WaitForElement("[data-testid='retention-preview']");
        Assert.Contains("would delete 2 fact(s)", preview.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Acme", "Globex"], preview.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim().Split(' ')[0])
            .Order(StringComparer.Ordinal));
        Assert.Equal(3, (await Get<FactService>().ListAsync(null, null, cancellationToken: Ct)).Count);
        Assert.Empty(await Get<MemoryRetention>().RulesAsync(Ct));
    }

    [Fact]
    public async Task A_saved_rule_is_listed_and_a_scope_rule_shields_its_scope_in_the_preview()
    {
        await AddFactAsync("Acme", "legal");
        await AddFactAsync("Globex", "business");
        await AddFactAsync("Initech", "business");
        await Get<MemoryRetention>().SaveRuleAsync(new RetentionRuleInput(MemoryItemTypes.Fact, "legal", RetentionMode.KeepForever), Ct);

        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='retention-rules'] tbody tr")));
        Assert.Equal(["business (2)", "legal (1)"], page.FindAll("[data-testid='scopes-in-use'] .mud-chip").Select(c => c.TextContent.Trim()));
        ChooseKeep(page, "the latest N");
        page.WaitForAssertion(() => NumberField(page, "Items"));
        NumberField(page, "Items").Input("1");

        Click(page, "Save rule");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='retention-rules'] tbody tr").Count));
        Assert.Contains("keep the latest 1", page.Find("[data-testid='retention-rules']").TextContent, StringComparison.Ordinal);
        var preview = page.WaitForElement("[data-testid='retention-preview']");
        // Only business facts count: the legal one has a rule of its own.
        Assert.Contains("would delete 1 fact(s)", preview.TextContent, StringComparison.Ordinal);
        Assert.Contains("Globex", preview.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_playbooks_memory_access_is_edited_as_its_next_version_and_a_bad_pattern_saves_nothing()
    {
        var playbooks = Get<PlaybookService>();
        var imported = await playbooks.ImportAsync("""
            { "schema": "blazoros/playbook@1", "name": "Follow-up",
              "nodes": [ { "id": "start", "kind": "trigger.manual" }, { "id": "done", "kind": "end" } ],
              "edges": [ { "from": "start", "to": "done" } ] }
            """, Ct);
        var page = RenderPage();
        var row = page.WaitForElement("[data-testid='playbook-access-row']");
        Assert.Equal(2, row.TextContent.Split("every scope").Length - 1);

        row.QuerySelector("button[aria-label='Edit the memory access of Follow-up']")!.Click();
        var dialogs = _dialogs!;
        dialogs.WaitForElement("input[data-testid='access-restricted']").Change(true);
        dialogs.WaitForElement("input[data-testid='access-read']").Input("business, clients:*");
        dialogs.Find("input[data-testid='access-write']").Input("Clients Only");
        SaveDialog(dialogs);

        dialogs.WaitForAssertion(() => Assert.Contains("Not a scope pattern", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        Assert.Equal(1, (await playbooks.GetAsync(imported.Id, Ct))!.LatestVersion);

        dialogs.Find("input[data-testid='access-write']").Input("clients:*");
        SaveDialog(dialogs);

        page.WaitForAssertion(() => Assert.Contains("business, clients:*", page.Find("[data-testid='playbook-access-row']").TextContent, StringComparison.Ordinal));
        var saved = (await playbooks.GetAsync(imported.Id, Ct))!;
        var access = PlaybookMemoryAccess.Of((await playbooks.GetVersionAsync(imported.Id, saved.LatestVersion, Ct))!);
        Assert.Equal(2, saved.LatestVersion);
        Assert.Equal(["business", "clients:*"], access.Read!);
        Assert.Equal(["clients:*"], access.Write!);
    }

    private IRenderedComponent<MudPopoverProvider>? _popovers;
    private IRenderedComponent<MudDialogProvider>? _dialogs;

    private IRenderedComponent<RetentionPage> RenderPage()
    {
        _dialogs = Render<MudDialogProvider>();
        _popovers = Render<MudPopoverProvider>();
        return Render<RetentionPage>();
    }

    private static void SaveDialog(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == "Save").Click();

    private async Task AddFactAsync(string subject, string scope)
    {
        await Task.Delay(5, Ct);
        await Get<FactService>().AddAsync(new NewFact(subject, "status", FactValue.OfText("active"), scope, 1.0), ProvenanceSource.Operator, "operator", Ct);
    }

    private void ChooseKeep(IRenderedComponent<RetentionPage> page, string choice)
    {
        var select = page.FindAll("[data-testid='retention-editor'] .mud-select").First(s => s.TextContent.Contains("Keep", StringComparison.Ordinal));
        select.QuerySelector(".mud-input-control")!.MouseDown();
        var popovers = _popovers!;
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == choice));
        popovers.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == choice).Click();
    }

    private static AngleSharp.Dom.IElement NumberField(IRenderedComponent<RetentionPage> page, string label)
    {
        var id = page.FindAll("[data-testid='retention-editor'] label").First(l => l.TextContent.Trim() == label).GetAttribute("for");
        return page.Find($"#{id}");
    }

    private static void Click(IRenderedComponent<RetentionPage> page, string text) =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text).Click();
}
