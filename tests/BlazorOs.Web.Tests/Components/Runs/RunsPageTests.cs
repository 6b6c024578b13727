using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Runs;

public sealed class RunsPageTests : StoreBunitContext
{
    [Fact]
    public async Task Runs_from_the_store_are_listed_newest_first_with_status_and_cost()
    {
        var invoices = await Seed.PlaybookAsync("Invoice follow-up");
        var leads = await Seed.PlaybookAsync("Lead intake");
        var failed = await Seed.RunAsync(invoices, TimeSpan.FromHours(3), costMicros: 250_000, then: (run, now) => run.Fail("Mail server refused", now.AddHours(-2)));
        var running = await Seed.RunAsync(leads, TimeSpan.FromMinutes(5), costMicros: 1_500_000);

        Render<MudPopoverProvider>();
        var page = Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal(
            [("Lead intake v1", "Running", "Manual", "1.50"), ("Invoice follow-up v1", "Failed", "Manual", "0.25")],
            page.FindAll("table tbody tr").Select(row => row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
                .Select(cells => (cells[0], cells[1], cells[2], cells[6]))));
        Assert.Equal([$"/runs/{running.Id}", $"/runs/{failed.Id}"], page.FindAll("table tbody tr a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void With_no_runs_the_page_says_how_runs_start()
    {
        Render<MudPopoverProvider>();
        var page = Render<RunsPage>();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("No runs yet", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("POST /api/playbooks/{id}/runs", empty.TextContent, StringComparison.Ordinal);
    }
}
