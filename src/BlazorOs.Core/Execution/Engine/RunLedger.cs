using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>A run's row: status changes and usage, each in its own short transaction.</summary>
internal sealed class RunLedger(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    private static readonly Func<Approval, bool> AsksOperator = Approval.IsOpenForOperator.Compile();

    public Task FailAsync(Guid runId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(runId, run => run.Fail(reason, Now), cancellationToken);

    /// <summary>Suspended while the operator is asked something; running otherwise.</summary>
    public async Task RefreshStatusAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RefreshStatusAsync(db, runId, opening: null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// As <see cref="RefreshStatusAsync(Guid, CancellationToken)"/> inside the caller's unit of work, which also adds the
    /// wait <paramref name="opening"/> (not in the database yet): the run turns Suspended in the same commit as the
    /// question and its trace event, so no reader sees one without the other.
    /// </summary>
    public static async Task RefreshStatusAsync(BlazorOsDbContext db, Guid runId, Approval? opening, CancellationToken cancellationToken)
    {
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        if (run.IsFinal)
        {
            return;
        }

        var asking = (opening is not null && AsksOperator(opening))
            || await db.Approvals.Where(a => a.RunId == runId).AnyAsync(Approval.IsOpenForOperator, cancellationToken);
        if (asking && run.Status != RunStatus.Suspended)
        {
            run.Suspend();
        }
        else if (!asking && run.Status == RunStatus.Suspended)
        {
            run.Resume();
        }
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
