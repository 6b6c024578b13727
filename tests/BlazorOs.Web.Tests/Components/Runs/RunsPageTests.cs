using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
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

    [Fact]
    public async Task The_query_string_filters_by_status_playbook_and_time_and_clearing_goes_back_to_all_runs()
    {
        var invoices = await Seed.PlaybookAsync("Invoice follow-up");
        var leads = await Seed.PlaybookAsync("Lead intake");
        var recentFailure = await Seed.RunAsync(invoices, TimeSpan.FromHours(3), then: (run, now) => run.Fail("Refused", now.AddHours(-2)));
        await Seed.RunAsync(invoices, TimeSpan.FromDays(3), then: (run, now) => run.Fail("Old failure", now.AddDays(-3)));
        await Seed.RunAsync(invoices, TimeSpan.FromHours(1));
        var leadFailure = await Seed.RunAsync(leads, TimeSpan.FromHours(5), then: (run, now) => run.Fail("Refused", now.AddHours(-4)));

        Render<MudPopoverProvider>();
        var navigation = Get<NavigationManager>();
        navigation.NavigateTo("/runs?status=Failed&since=24h");
        var page = Render<RunsPage>();

        page.WaitForAssertion(() => Assert.Equal([$"/runs/{recentFailure.Id}", $"/runs/{leadFailure.Id}"], Links(page)));

        navigation.NavigateTo($"/runs?status=Failed&since=24h&playbook={leads.PlaybookId}");
        page.Render();
        page.WaitForAssertion(() => Assert.Equal([$"/runs/{leadFailure.Id}"], Links(page)));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Clear filters").ClickAsync(new());
        Assert.EndsWith("/runs", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_is_a_link_that_reads_back_the_same()
    {
        var filter = RunFilter.Parse(null, "Suspended,running", null, "24h");

        Assert.Equal("/runs?status=Running%2CSuspended&since=24h", filter.Link());
        Assert.Equal(filter.Statuses.Order(), RunFilter.Parse(null, Uri.UnescapeDataString("Running%2CSuspended"), null, "24h").Statuses.Order());
        Assert.True(RunFilter.Parse("not-a-guid", "Nonsense", null, "forever").IsEmpty);
    }

    [Fact]
    public async Task A_step_event_on_the_bus_shows_in_the_row_without_a_reload()
    {
        var leads = await Seed.PlaybookAsync("Lead intake");
        var running = await Seed.RunAsync(leads, TimeSpan.FromMinutes(5));
        Render<MudPopoverProvider>();
        var page = Render<RunsPage>();
        page.WaitForElement("[data-testid=run-live]");

        await Get<ITraceBus>().PublishAsync(new TraceMessage(running.Id, 7, "step.started", "Enrich started", "enrich", 1, TraceLevel.Info,
            null, DateTime.UtcNow));
        page.WaitForAssertion(() => Assert.Equal("7", page.Find("[data-testid=run-live]").GetAttribute("data-seq")));
        Assert.Contains("enrich", page.Find("[data-testid=run-live]").TextContent, StringComparison.Ordinal);

        await Get<ITraceBus>().PublishAsync(new TraceMessage(running.Id, 8, "approval.requested", "Asks", "review", 1, TraceLevel.Info,
            null, DateTime.UtcNow));
        page.WaitForAssertion(() => Assert.Equal("Suspended", page.Find("[data-testid=run-live]").GetAttribute("data-status")));
    }

    [Fact]
    public async Task A_run_that_ends_leaves_a_list_of_running_runs_without_a_reload()
    {
        var leads = await Seed.PlaybookAsync("Lead intake");
        var running = await Seed.RunAsync(leads, TimeSpan.FromMinutes(5));
        Render<MudPopoverProvider>();
        Get<NavigationManager>().NavigateTo("/runs?status=Running");
        var page = Render<RunsPage>();
        page.WaitForAssertion(() => Assert.Equal([$"/runs/{running.Id}"], Links(page)));

        // As the engine does: the store first, then the event.
        await using (var db = await Get<Microsoft.EntityFrameworkCore.IDbContextFactory<BlazorOs.Core.Data.BlazorOsDbContext>>()
            .CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken))
        {
            var run = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Runs, r => r.Id == running.Id,
                Xunit.TestContext.Current.CancellationToken);
            run.Complete("sent", DateTime.UtcNow);
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        await Get<ITraceBus>().PublishAsync(new TraceMessage(running.Id, 9, "run.completed", "Run completed", "done", 1, TraceLevel.Info,
            null, DateTime.UtcNow));

        page.WaitForAssertion(() => Assert.Empty(Links(page)));
    }

    [Fact]
    public async Task Retrying_a_run_that_did_not_fail_at_a_step_shows_the_engines_reason()
    {
        var invoices = await Seed.PlaybookAsync("Invoice follow-up");
        await Seed.RunAsync(invoices, TimeSpan.FromHours(3), then: (run, now) => run.Fail("Refused", now.AddHours(-2)));
        Render<MudSnackbarProvider>();
        Render<MudPopoverProvider>();
        var page = Render<RunsPage>();

        await page.WaitForElement("button[aria-label='Retry from the failed step']").ClickAsync(new());

        Assert.Contains("No step of this run failed", Get<ISnackbar>().ShownSnackbars.Single().Message, StringComparison.Ordinal);
    }

    private static List<string?> Links(IRenderedComponent<RunsPage> page) => [.. page.FindAll("table tbody tr a").Select(a => a.GetAttribute("href"))];
}
