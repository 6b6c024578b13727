using Microsoft.AspNetCore.Components.Web;
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

        var card = page.WaitForElement("[data-testid=approval-card]");
        Assert.Equal("Send the reminder to Acme?", card.QuerySelector("b")?.TextContent);
        Assert.Contains("Invoice follow-up", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Why you are asked: Sends an email", card.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/runs/{run.Id}", card.QuerySelector("a")?.GetAttribute("href"));
        Assert.Single(page.FindAll("[data-testid=approval-card]"));
        Assert.DoesNotContain("Pay the supplier?", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void With_nothing_open_the_page_says_what_will_land_here()
    {
        var page = Render<ApprovalsPage>();

        var empty = page.WaitForElement("[data-testid='empty-state']");
        Assert.Contains("Nothing waits for you", empty.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_move_the_focus_between_questions_and_answer_the_focused_one()
    {
        var runs = new InboxRuns(Services);
        var (older, _) = await runs.StartReviewAsync("older");
        var (newer, _) = await runs.StartReviewAsync("newer");
        var page = Render<ApprovalsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=approval-card]").Count));
        Assert.Equal(["true", "false"], Selection());

        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "j" });
        Assert.Equal(["false", "true"], Selection());
        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "?" });
        Assert.NotNull(page.Find("[data-testid=inbox-help]"));

        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "r" });

        Assert.Equal(BlazorOs.Core.Execution.ApprovalDecision.Reject, (await runs.ApprovalOfAsync(older))!.Decision);
        Assert.Equal(BlazorOs.Core.Execution.ApprovalStatus.Open, (await runs.ApprovalOfAsync(newer))!.Status);
        page.WaitForAssertion(() => Assert.Equal(["true"], Selection()));

        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "e" });
        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "a" });
        Assert.Equal(BlazorOs.Core.Execution.ApprovalStatus.Open, (await runs.ApprovalOfAsync(newer))!.Status);
        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "Escape" });
        await page.Find("[data-testid=inbox]").KeyDownAsync(new KeyboardEventArgs { Key = "a" });
        Assert.Equal(BlazorOs.Core.Execution.ApprovalDecision.Approve, (await runs.ApprovalOfAsync(newer))!.Decision);

        List<string?> Selection() => [.. page.FindAll("[data-testid=approval-card]").Select(c => c.GetAttribute("data-selected"))];
    }

    [Fact]
    public async Task A_question_opened_while_the_page_is_open_appears_without_a_reload_and_answered_ones_are_listed_with_who_and_when()
    {
        var page = Render<ApprovalsPage>();
        page.WaitForElement("[data-testid='empty-state']");

        var runs = new InboxRuns(Services);
        var (runId, approvalId) = await runs.StartReviewAsync("live");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=approval-card]")));
        await Get<BlazorOs.Core.Execution.Engine.IPlaybookEngine>().AnswerAsync(approvalId, BlazorOs.Core.Execution.ApprovalDecision.Approve,
            null, "operator", Xunit.TestContext.Current.CancellationToken);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=approval-card]")));

        var answered = (await runs.ApprovalOfAsync(runId))!;
        await page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Recently answered").ClickAsync(new());
        page.WaitForAssertion(() =>
        {
            var row = page.Find("[data-testid=answered-table] tbody tr");
            Assert.Contains("operator", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Approve", row.TextContent, StringComparison.Ordinal);
            Assert.Contains(BlazorOs.Web.Components.Shared.Formats.When(answered.AnsweredAt!.Value), row.TextContent, StringComparison.Ordinal);
        });
    }
}
