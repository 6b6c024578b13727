using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>
/// Records per type, added through a form built from the type's fields: bad values are refused field by field and nothing
/// is saved; a record's page shows its fields, its history per field, and reverts.
/// </summary>
public sealed class RecordsPageTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_built_in_types_are_listed_with_counts_and_the_chosen_type_shows_its_records()
    {
        await Get<RecordService>().AddAsync("deal", new JsonObject { ["name"] = "Acme renewal", ["stage"] = "won", ["amount"] = "1200.50 EUR" },
            null, Operator(), Ct);

        var page = RenderPage("deal");

        page.WaitForAssertion(() => Assert.Equal(["company", "contact", "deal", "project"],
            page.FindAll("[data-testid='record-types'] [data-type]").Select(i => i.GetAttribute("data-type"))));
        Assert.Contains("1", page.Find("[data-type='deal']").TextContent, StringComparison.Ordinal);
        var row = page.Find("[data-testid='records'] tbody tr");
        Assert.Contains("Acme renewal", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("1200.50 EUR", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_values_are_named_at_their_fields_and_nothing_is_saved_then_a_good_record_is()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage("contact");
        page.WaitForAssertion(() => Assert.Contains("No contact records yet", page.Markup, StringComparison.Ordinal));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Add contact").Click();
        dialogs.WaitForElement(".mud-dialog");
        Field(dialogs, "Email").Input("not-an-email");

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Contains("Nothing was saved: 2 field(s) need a fix.", dialogs.Find(".mud-dialog").TextContent,
            StringComparison.Ordinal));
        Assert.Contains("Name is required.", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        Assert.Contains("Expected an email address", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        Assert.Empty(await Get<RecordService>().ListAsync("contact", cancellationToken: Ct));

        Field(dialogs, "Name *").Input("Ana Lima");
        Field(dialogs, "Email").Input("ana@example.com");
        Save(dialogs);

        page.WaitForAssertion(() => Assert.Contains("Ana Lima", page.Find("[data-testid='records'] tbody tr").TextContent, StringComparison.Ordinal));
        var stored = Assert.Single(await Get<RecordService>().ListAsync("contact", cancellationToken: Ct));
        Assert.Equal(("ana@example.com", ProvenanceSource.Operator), (stored.Values["email"]!.GetValue<string>(), stored.Provenance!.Source));
    }

    [Fact]
    public async Task A_record_page_shows_its_fields_and_reverts_a_change()
    {
        var records = Get<RecordService>();
        var record = await records.AddAsync("company", new JsonObject { ["name"] = "Globex", ["industry"] = "Energy" }, null, Operator(), Ct);
        await records.ChangeAsync(record.Id, new JsonObject { ["name"] = "Globex", ["industry"] = "Chemicals" }, Operator(), "Rebranded", cancellationToken: Ct);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();

        var page = Render<RecordPage>(p => p.Add(r => r.RecordId, record.Id));

        page.WaitForAssertion(() => Assert.Contains("Chemicals", page.Find("[data-testid='record-values'] [data-field='industry']").TextContent,
            StringComparison.Ordinal));
        var newest = page.Find("[data-testid='revisions'] tbody tr");
        Assert.Equal(("Industry:", "Energy", "Chemicals"), (newest.QuerySelector("[data-field='industry'] span")!.TextContent.Trim(),
            newest.QuerySelector("del")!.TextContent.Trim(), newest.QuerySelector("ins")!.TextContent.Trim()));

        page.Find("button[aria-label='Revert to revision 1']").Click();
        dialogs.WaitForElement(".mud-dialog textarea").Input("Wrong company");
        dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Revert").Click();

        page.WaitForAssertion(() => Assert.Contains("Energy", page.Find("[data-testid='record-values'] [data-field='industry']").TextContent,
            StringComparison.Ordinal));
        Assert.Equal(3, (await records.RevisionsAsync(record.Id, Ct))!.Count);
    }

    private IRenderedComponent<RecordsPage> RenderPage(string type)
    {
        Render<MudPopoverProvider>();
        Get<Bunit.TestDoubles.BunitNavigationManager>().NavigateTo($"/memory/records?type={type}");
        return Render<RecordsPage>();
    }

    private Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", Get<TimeProvider>().GetUtcNow().UtcDateTime);

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<MudDialogProvider> dialogs, string label)
    {
        var id = dialogs.FindAll(".mud-dialog label").First(l => l.TextContent.Trim() == label).GetAttribute("for");
        return dialogs.Find($"#{id}");
    }

    private static void Save(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Save").Click();
}
