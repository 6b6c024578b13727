using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Execution;

public sealed class ApprovalTests
{
    [Fact]
    public async Task An_answered_approval_round_trips_and_cannot_be_answered_again()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);
        var approval = Approval.Open(run.Id, "send-email", ApprovalKind.Approval, "Send the invoice to ACME?", store.Now,
            contextJson: """{"to":"billing@acme.test"}""", policyReason: "External email needs approval", dueAt: store.Now.AddHours(4));
        await using (var db = store.NewContext())
        {
            db.Approvals.Add(approval);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        store.Clock.Advance(TimeSpan.FromMinutes(30));
        await using (var db = store.NewContext())
        {
            var open = await db.Approvals.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ApprovalStatus.Open, open.Status);
            open.Answer(ApprovalDecision.Modify, "operator", store.Now, """{"subject":"Invoice 48 (corrected)"}""");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.Approvals.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((ApprovalKind.Approval, ApprovalStatus.Answered, (ApprovalDecision?)ApprovalDecision.Modify, "operator"),
            (loaded.Kind, loaded.Status, loaded.Decision, loaded.AnsweredBy));
        Assert.Equal(("Send the invoice to ACME?", """{"to":"billing@acme.test"}""", "External email needs approval"),
            (loaded.Question, loaded.ContextJson, loaded.PolicyReason));
        Assert.Equal("""{"subject":"Invoice 48 (corrected)"}""", loaded.OutputJson);
        Assert.Equal((TempStore.Start.UtcDateTime.AddHours(4), store.Now), (loaded.DueAt!.Value, loaded.AnsweredAt!.Value));
        Assert.Equal(DateTimeKind.Utc, loaded.AnsweredAt.Value.Kind);
        Assert.Equal("Modify", await store.ScalarAsync("SELECT Decision FROM Approvals;"));

        Assert.Throws<InvalidOperationException>(() => loaded.Answer(ApprovalDecision.Reject, "someone else", store.Now));
        Assert.Equal(ApprovalDecision.Modify, loaded.Decision);
    }
}
