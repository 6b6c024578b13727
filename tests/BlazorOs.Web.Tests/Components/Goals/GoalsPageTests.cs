using BlazorOs.Core.Intention;
using BlazorOs.Web.Components.Goals;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Goals;

public sealed class GoalsPageTests : StoreBunitContext
{
    [Fact]
    public void With_no_goals_the_page_says_how_to_state_the_first_one()
    {
        Render<MudPopoverProvider>();
        var page = Render<GoalsPage>();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("No goals yet", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("Start with a strategic goal", empty.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("h2"));
    }

    [Fact]
    public async Task Goals_are_grouped_by_level_with_the_goal_each_one_serves()
    {
        var goals = Get<GoalService>();
        var strategic = await goals.CreateAsync(new NewGoal("Reach 20 paying clients by June", GoalLevel.Strategic, null, new DateOnly(2027, 6, 30), null), Xunit.TestContext.Current.CancellationToken);
        await goals.CreateAsync(new NewGoal("Launch the referral programme", GoalLevel.Tactical, "Ask every client once", null, strategic.Id), Xunit.TestContext.Current.CancellationToken);
        await goals.CreateAsync(new NewGoal("Win two agencies as partners", GoalLevel.Tactical, null, null, null), Xunit.TestContext.Current.CancellationToken);

        Render<MudPopoverProvider>();
        var page = Render<GoalsPage>();

        page.WaitForAssertion(() => Assert.Equal(["Strategic", "Tactical", "Operational"], page.FindAll("h2").Select(h => h.TextContent.Trim())));
        var sections = page.FindAll("h2").ToDictionary(h => h.TextContent.Trim(), h => h.NextElementSibling!);
        Assert.Equal(
            [("Reach 20 paying clients by June", "—", "2027-06-30", "Active")],
            Rows(sections["Strategic"]));
        Assert.Equal(
            [("Launch the referral programme", "Reach 20 paying clients by June", "—", "Active"), ("Win two agencies as partners", "—", "—", "Active")],
            Rows(sections["Tactical"]));
        Assert.Equal("No operational goals.", sections["Operational"].TextContent.Trim());
        Assert.Contains("Ask every client once", sections["Tactical"].QuerySelector("tbody tr")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid='empty-state']"));
    }

    /// <summary>Title (without its description), serves, target, status of each row of a level's table.</summary>
    private static (string, string, string, string)[] Rows(AngleSharp.Dom.IElement table) =>
        table.QuerySelectorAll("tbody tr")
            .Select(row => row.QuerySelectorAll("td").ToArray())
            .Select(cells => (cells[0].QuerySelector("p")!.TextContent.Trim(), cells[1].TextContent.Trim(), cells[2].TextContent.Trim(), cells[3].TextContent.Trim()))
            .ToArray();
}
