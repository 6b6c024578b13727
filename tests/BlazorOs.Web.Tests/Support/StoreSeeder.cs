using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Playbooks;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Tests.Support;

/// <summary>Writes rows through the entities' own factory methods, as the engine will, one context per call.</summary>
public sealed class StoreSeeder(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A playbook with its first version; runs pin that version.</summary>
    public async Task<PlaybookVersion> PlaybookAsync(string name, DelegationLevel delegation = DelegationLevel.Approval)
    {
        var playbook = Playbook.Create(name, Now.AddDays(-40), delegation: delegation);
        var version = playbook.AddVersion("blazoros/playbook@1", """{"nodes":[],"edges":[]}""", Now.AddDays(-40));
        await SaveAsync(db => db.Playbooks.Add(playbook));
        return version;
    }

    /// <summary>A run started <paramref name="ago"/> before now; <paramref name="then"/> moves it on (now as argument).</summary>
    public async Task<Run> RunAsync(PlaybookVersion version, TimeSpan ago, long costMicros = 0, Action<Run, DateTime>? then = null)
    {
        var run = Run.Start(version.PlaybookId, version.Id, version.Number, RunTrigger.Manual, "{}", Now - ago);
        run.RecordUsage(tokensIn: 100, tokensOut: 20, costMicros);
        then?.Invoke(run, Now);
        await SaveAsync(db => db.Runs.Add(run));
        return run;
    }

    public async Task<Approval> ApprovalAsync(Run run, string question, bool answered = false)
    {
        var approval = Approval.Open(run.Id, "approve-send", ApprovalKind.Approval, question, Now, policyReason: "Sends an email");
        if (answered)
        {
            approval.Answer(ApprovalDecision.Approve, "operator", Now);
        }

        await SaveAsync(db => db.Approvals.Add(approval));
        return approval;
    }

    private async Task SaveAsync(Action<BlazorOsDbContext> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        change(db);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
