using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>A run's row: status changes and usage, each in its own short transaction.</summary>
internal sealed class RunLedger(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    public Task FailAsync(Guid runId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(runId, run => run.Fail(reason, Now), cancellationToken);

    /// <summary>Suspended while the operator is asked something; running otherwise.</summary>
    public async Task RefreshStatusAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        if (run.IsFinal)
        {
            return;
        }

        var asking = await db.Approvals.AnyAsync(a => a.RunId == runId && a.Status == ApprovalStatus.Open
            && (a.Kind == ApprovalKind.Approval || a.Kind == ApprovalKind.Escalation || a.Kind == ApprovalKind.OperatorTask), cancellationToken);
        if (asking && run.Status != RunStatus.Suspended)
        {
            run.Suspend();
        }
        else if (!asking && run.Status == RunStatus.Suspended)
        {
            run.Resume();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds tokens and cost atomically: parallel branches of one run record usage at the same time.</summary>
    public async Task RecordUsageAsync(Guid runId, Guid activation, long tokensIn, long tokensOut, long costMicros,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.TokensIn, x => x.TokensIn + tokensIn)
            .SetProperty(x => x.TokensOut, x => x.TokensOut + tokensOut)
            .SetProperty(x => x.CostMicros, x => x.CostMicros + costMicros), cancellationToken);
        await db.StepRuns.Where(s => s.Id == activation).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.TokensIn, x => x.TokensIn + tokensIn)
            .SetProperty(x => x.TokensOut, x => x.TokensOut + tokensOut)
            .SetProperty(x => x.CostMicros, x => x.CostMicros + costMicros), cancellationToken);
    }

    private async Task ChangeAsync(Guid runId, Action<Run> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        if (!run.IsFinal)
        {
            change(run);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
