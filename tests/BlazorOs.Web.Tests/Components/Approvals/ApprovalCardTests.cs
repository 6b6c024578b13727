using BlazorOs.Core.Execution;
using BlazorOs.Web.Components.Approvals;
using BlazorOs.Web.Tests.Support;
using Bunit;

namespace BlazorOs.Web.Tests.Components.Approvals;

/// <summary>One question's card: its decision context, and answers that reach the engine (real runs, real store).</summary>
public sealed class ApprovalCardTests : StoreBunitContext
{
    private InboxRuns Runs => new(Services);

    [Fact]
    public void A_card_shows_the_question_what_happens_the_output_the_inputs_and_the_policy_reason()
    {
        var item = new ApprovalItem(Guid.NewGuid(), Guid.NewGuid(), "Invoice follow-up", "review", ApprovalKind.Approval, "Send the reminder?",
            """{ "show": "Dear Acme, your invoice is due.", "inputs": { "customer": "Acme" } }""", "Sends an email to a customer",
            new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), null);

        var card = Render<ApprovalCard>(p => p.Add(c => c.Item, item));

        Assert.Equal("Send the reminder?", card.Find("[data-testid=approval-question]").TextContent.Trim());
        Assert.Equal("Dear Acme, your invoice is due.", card.Find("[data-testid=approval-output]").TextContent);
        Assert.Contains("\"customer\": \"Acme\"", card.Find("[data-testid=approval-inputs]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Why you are asked: Sends an email to a customer", card.Find("[data-testid=approval-reason]").TextContent.Trim());
        Assert.Contains("If you approve:", card.Find("[data-testid=approval-consequence]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/runs/{item.RunId}", card.Find("a").GetAttribute("href"));
    }

    [Fact]
    public void An_escalation_shows_what_failed_and_offers_retry_skip_and_fail_but_not_approve()
    {
        var item = new ApprovalItem(Guid.NewGuid(), Guid.NewGuid(), "Lead intake", "crm", ApprovalKind.Escalation, "crm failed: 503",
            """{ "error": "HTTP 503 from the CRM", "step": "crm", "kind": "http" }""", null, DateTime.UtcNow, null);

        var card = Render<ApprovalCard>(p => p.Add(c => c.Item, item));

        Assert.Equal("HTTP 503 from the CRM", card.Find("[data-testid=approval-detail]").TextContent);
        Assert.Equal(["Retry", "Skip with an output…", "Fail the run"], card.FindAll("button").Select(b => b.TextContent.Trim()));
    }

    [Theory]
    [InlineData("Approve", ApprovalDecision.Approve, "approved")]
    [InlineData("Reject", ApprovalDecision.Reject, "rejected")]
    public async Task Approve_and_reject_answer_the_question_as_the_signed_in_operator_and_the_run_takes_that_path(string button,
        ApprovalDecision decision, string outcome)
    {
        var (runId, approvalId) = await Runs.StartReviewAsync("the Q3 report");
        var page = Render<ApprovalsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=approval-card]")));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == button).ClickAsync(new());

        var answered = await Runs.ApprovalOfAsync(runId);
        Assert.Equal((approvalId, ApprovalStatus.Answered, decision, "operator"), (answered!.Id, answered.Status, answered.Decision, answered.AnsweredBy));
        Assert.NotNull(answered.AnsweredAt);
        await WaitForOutcomeAsync(runId, outcome);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=approval-card]")));
    }

    [Fact]
    public async Task Modify_sends_the_edited_output_and_refuses_broken_JSON_without_answering()
    {
        var (runId, _) = await Runs.StartReviewAsync("draft");
        var page = Render<ApprovalsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=approval-card]")));
        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Modify…").ClickAsync(new());
        Assert.Equal("draft", page.Find("textarea").GetAttribute("value"));

        await page.Find("textarea").InputAsync(new() { Value = """{ "subject": "Edited """ });
        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Approve with my edit").ClickAsync(new());

        Assert.Contains("Not valid JSON", page.Find("[data-testid=approval-card]").TextContent, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Open, (await Runs.ApprovalOfAsync(runId))!.Status);

        await page.Find("textarea").InputAsync(new() { Value = """{ "subject": "Edited by me" }""" });
        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Approve with my edit").ClickAsync(new());

        var answered = await Runs.ApprovalOfAsync(runId);
        Assert.Equal((ApprovalDecision.Modify, """{"subject":"Edited by me"}"""), (answered!.Decision, answered.OutputJson));
    }

    private async Task WaitForOutcomeAsync(Guid runId, string outcome)
    {
        var engine = Get<BlazorOs.Core.Execution.Engine.IPlaybookEngine>();
        await engine.WaitForIdleAsync(runId, TimeSpan.FromSeconds(20));
        await using var db = await Get<Microsoft.EntityFrameworkCore.IDbContextFactory<BlazorOs.Core.Data.BlazorOsDbContext>>()
            .CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var run = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Runs, r => r.Id == runId,
            Xunit.TestContext.Current.CancellationToken);
        Assert.Equal((RunStatus.Completed, outcome), (run.Status, run.Outcome));
    }
}
