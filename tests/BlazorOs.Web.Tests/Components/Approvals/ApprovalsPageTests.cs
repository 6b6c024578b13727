using BlazorOs.Web.Components.Approvals;
using BlazorOs.Web.Tests.Support;
using Bunit;

namespace BlazorOs.Web.Tests.Components.Approvals;

public sealed class ApprovalsPageTests : StoreBunitContext
{
    [Fact]
    public async Task An_open_approval_shows_its_question_playbook_and_reason()
    {
        var version = await Seed.PlaybookAsync("Invoice follow-up");
        var run = await Seed.RunAsync(version, TimeSpan.FromHours(1));
        await Seed.ApprovalAsync(run, "Send the reminder to Acme?");
        await Seed.ApprovalAsync(run, "Pay the supplier?", answered: true);

        var page = Render<ApprovalsPage>();

        var card = page.WaitForElement(".mud-paper");
        Assert.Equal("Send the reminder to Acme?", card.QuerySelector("b")?.TextContent);
        Assert.Contains("Invoice follow-up", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Why you are asked: Sends an email", card.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/runs/{run.Id}", card.QuerySelector("a")?.GetAttribute("href"));
        Assert.Single(page.FindAll(".mud-paper"));
        Assert.DoesNotContain("Pay the supplier?", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void With_nothing_open_the_page_says_what_will_land_here()
    {
        var page = Render<ApprovalsPage>();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("Nothing waits for you", empty.TextContent, StringComparison.Ordinal);
    }
}
