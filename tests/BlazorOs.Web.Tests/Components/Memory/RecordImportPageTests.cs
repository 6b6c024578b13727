using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>An import with bad rows shows each (row, field, message) and writes nothing until the operator imports the valid rows.</summary>
public sealed class RecordImportPageTests : StoreBunitContext
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bad_rows_are_listed_and_nothing_is_imported_until_the_valid_rows_are_chosen()
    {
        Render<MudPopoverProvider>();
        Get<Bunit.TestDoubles.BunitNavigationManager>().NavigateTo("/memory/records/import?type=contact");
        var page = Render<RecordImportPage>();
        page.WaitForAssertion(() => Assert.Contains("Import records", page.Markup, StringComparison.Ordinal));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "name,email,role\nAna Lima,ana@example.com,CFO\n,bob@example.com,CTO\nCarla Dias,not-an-email,COO\n", "contacts.csv"));
        page.WaitForAssertion(() => Assert.Contains("contacts.csv (CSV)", page.Find("[data-testid='import-file-name']").TextContent, StringComparison.Ordinal));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Import").Click();

        var summary = page.WaitForElement("[data-testid='import-summary']");
        Assert.Contains("Nothing was imported: 2 problem(s) in 3 row(s)", summary.TextContent, StringComparison.Ordinal);
        Assert.Equal([("3", "name"), ("4", "email")], page.FindAll("[data-testid='import-problems'] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).Select(c => (c[0], c[1])));
        Assert.Empty(await Get<RecordService>().ListAsync("contact", cancellationToken: Ct));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Import the 1 valid rows").Click();

        page.WaitForAssertion(() => Assert.Contains("Imported 1 of 3 row(s)", page.Find("[data-testid='import-summary']").TextContent, StringComparison.Ordinal));
        var imported = Assert.Single(await Get<RecordService>().ListAsync("contact", cancellationToken: Ct));
        Assert.Equal(("Ana Lima", ProvenanceSource.Import), (imported.Title, imported.Provenance!.Source));
    }
}
