using BlazorOs.Web.Components.Dashboard;
using BlazorOs.Web.Tests.Support;
using Bunit;

namespace BlazorOs.Web.Tests.Components.Dashboard;

/// <summary>
/// The dashboard's numbers come from the store: active runs (running or suspended), open approvals, failures that
/// ended in the last 24 h, and the cost of runs started today and this month (UTC). The clock stands at noon on the 25th.
/// </summary>
public sealed class DashboardPageTests : StoreBunitContext
{
    [Fact]
    public async Task The_cards_show_the_numbers_from_the_store()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        var waiting = await Seed.RunAsync(version, TimeSpan.FromHours(1), costMicros: 1_250_000);
        await Seed.RunAsync(version, TimeSpan.FromHours(2), costMicros: 500_000);
        await Seed.RunAsync(version, TimeSpan.FromHours(3), costMicros: 250_000, then: (run, now) => run.Fail("Mail server refused", now.AddHours(-2)));
        // Failed yesterday morning: outside the last 24 h and today, inside this month.
        await Seed.RunAsync(version, TimeSpan.FromHours(31), costMicros: 3_000_000, then: (run, now) => run.Fail("Timeout", now.AddHours(-30)));
        // Last month: counts nowhere.
        await Seed.RunAsync(version, TimeSpan.FromDays(40), costMicros: 10_000_000, then: (run, now) => run.Complete("sent", now.AddDays(-40)));
        await Seed.ApprovalAsync(waiting, "Send the reminder?");
        await Seed.ApprovalAsync(waiting, "Already answered", answered: true);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal(
            new Dictionary<string, string>
            {
                ["Active runs"] = "2",
                ["Waiting for you"] = "1",
                ["Failures, last 24 h"] = "1",
                ["Cost today / this month"] = "2.00 / 5.00",
            },
            Cards(page)));
        Assert.Equal(5, page.FindAll("table tbody tr").Count);
        Assert.Empty(page.FindAll("[data-testid='empty-state']"));
    }

    [Fact]
    public void An_empty_store_shows_zeros_and_how_to_get_started()
    {
        var page = Render<DashboardPage>();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("Nothing here yet: three steps to a working BlazorOs", empty.TextContent, StringComparison.Ordinal);
        Assert.Equal(["/goals", "/settings", "/playbooks"], empty.QuerySelectorAll("li a").Select(a => a.GetAttribute("href")));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Active runs"] = "0",
                ["Waiting for you"] = "0",
                ["Failures, last 24 h"] = "0",
                ["Cost today / this month"] = "0.00 / 0.00",
            },
            Cards(page));
        Assert.Empty(page.FindAll("table"));
    }

    /// <summary>Each stat card's title (its link) and the value above it.</summary>
    private static Dictionary<string, string> Cards(IRenderedComponent<DashboardPage> page) =>
        page.FindAll("[data-testid='stat-value']").ToDictionary(
            value => value.ParentElement!.QuerySelector("a")!.TextContent.Trim(),
            value => value.TextContent.Trim());

    [Fact]
    public async Task Each_card_links_to_its_filtered_list_and_the_chart_has_a_bar_per_day_of_the_month()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        await Seed.RunAsync(version, TimeSpan.FromHours(1), costMicros: 1_250_000);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal(
            ["/runs?status=Running%2CSuspended", "/approvals", "/runs?status=Failed&since=24h", "/runs?since=today"],
            new[] { "stat-active", "stat-waiting", "stat-failures", "stat-cost" }.Select(id => page.Find($"[data-testid={id}] a").GetAttribute("href"))));
        var chart = page.Find("[data-testid=cost-chart]");
        Assert.Contains("Cost per day, November 2026", chart.TextContent, StringComparison.Ordinal);
        Assert.Equal("/runs?since=month", chart.QuerySelector("a")?.GetAttribute("href"));
        Assert.DoesNotContain("Nothing spent this month yet", chart.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(chart.QuerySelectorAll("svg"));
    }
}
