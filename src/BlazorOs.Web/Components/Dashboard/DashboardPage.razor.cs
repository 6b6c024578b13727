using BlazorOs.Core.Execution;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Web.Components.Dashboard;

public sealed partial class DashboardPage
{
    private DashboardStats? _stats;
    private List<RecentRun> _recent = [];

    internal sealed record DashboardStats(int ActiveRuns, int OpenApprovals, int FailuresLastDay, long CostTodayMicros,
        long CostMonthMicros, int Playbooks, int Goals);

    internal sealed record RecentRun(Guid Id, string Playbook, int Version, RunStatus Status, DateTime StartedAt, long CostMicros);

    protected override async Task OnInitializedAsync()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var today = now.Date;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var db = await DbFactory.CreateDbContextAsync();
        _stats = new DashboardStats(
            await db.Runs.CountAsync(r => r.Status == RunStatus.Running || r.Status == RunStatus.Suspended),
            await db.Approvals.CountAsync(Approval.IsOpenForOperator),
            await db.Runs.CountAsync(r => r.Status == RunStatus.Failed && r.EndedAt >= now.AddDays(-1)),
            await db.Runs.Where(r => r.StartedAt >= today).SumAsync(r => r.CostMicros),
            await db.Runs.Where(r => r.StartedAt >= month).SumAsync(r => r.CostMicros),
            await db.Playbooks.CountAsync(),
            await db.Goals.CountAsync());
        _recent = await db.Runs.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(10)
            .Join(db.Playbooks, r => r.PlaybookId, p => p.Id,
                (r, p) => new RecentRun(r.Id, p.Name, r.VersionNumber, r.Status, r.StartedAt, r.CostMicros))
            .ToListAsync();
    }
}
