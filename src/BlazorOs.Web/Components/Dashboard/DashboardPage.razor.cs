using System.Globalization;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Runs;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Dashboard;

/// <summary>
/// What runs, what waits, what failed and what it costs, each linking to the filtered Runs or Approvals page; kept
/// current by run and approval events (re-read at most once a second).
/// </summary>
public sealed partial class DashboardPage
{
    internal static readonly string ActiveRunsLink = new RunFilter(null, new HashSet<RunStatus> { RunStatus.Running, RunStatus.Suspended }, null, null).Link();
    internal static readonly string FailuresLink = new RunFilter(null, new HashSet<RunStatus> { RunStatus.Failed }, null, "24h").Link();
    internal static readonly string TodayLink = new RunFilter(null, new HashSet<RunStatus>(), null, "today").Link();
    internal static readonly string MonthLink = new RunFilter(null, new HashSet<RunStatus>(), null, "month").Link();

    private readonly BarChartOptions _chartOptions = new() { ShowLegend = false, YAxisToStringFunc = v => v.ToString("0.##", CultureInfo.InvariantCulture) };
    private DashboardStats? _stats;
    private List<RecentRun> _recent = [];
    private List<ChartSeries<double>> _costSeries = [];
    private string[] _dayLabels = [];
    private string _monthLabel = "";
    private LiveTrace? _live;

    [Inject] private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ITraceBus Bus { get; set; } = default!;

    internal sealed record DashboardStats(int ActiveRuns, int OpenApprovals, int FailuresLastDay, long CostTodayMicros,
        long CostMonthMicros, int Playbooks, int Goals);

    internal sealed record RecentRun(Guid Id, string Playbook, int Version, RunStatus Status, DateTime StartedAt, long CostMicros);

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _live = new LiveTrace(Bus, LiveTrace.ChangesStatusOrQuestions, InvokeAsync, async _ =>
            {
                await LoadAsync();
                StateHasChanged();
            }, e => _ = DispatchExceptionAsync(e), TimeSpan.FromSeconds(1), Clock);
        }
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task LoadAsync()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var today = now.Date;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var db = await DbFactory.CreateDbContextAsync();
        var monthCosts = await db.Runs.AsNoTracking().Where(r => r.StartedAt >= month && r.CostMicros > 0)
            .Select(r => new { r.StartedAt, r.CostMicros }).ToListAsync();
        _stats = new DashboardStats(
            await db.Runs.CountAsync(r => r.Status == RunStatus.Running || r.Status == RunStatus.Suspended),
            await db.Approvals.CountAsync(Approval.IsOpenForOperator),
            await db.Runs.CountAsync(r => r.Status == RunStatus.Failed && r.EndedAt >= now.AddDays(-1)),
            monthCosts.Where(r => r.StartedAt >= today).Sum(r => r.CostMicros),
            monthCosts.Sum(r => r.CostMicros),
            await db.Playbooks.CountAsync(),
            await db.Goals.CountAsync());
        _recent = await db.Runs.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(10)
            .Join(db.Playbooks, r => r.PlaybookId, p => p.Id,
                (r, p) => new RecentRun(r.Id, p.Name, r.VersionNumber, r.Status, r.StartedAt, r.CostMicros))
            .ToListAsync();

        // One bar per day of the month so far, in the price table's currency.
        var perDay = monthCosts.GroupBy(r => r.StartedAt.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.CostMicros) / 1_000_000d);
        var days = Enumerable.Range(1, now.Day).ToList();
        _dayLabels = [.. days.Select(d => d.ToString(CultureInfo.InvariantCulture))];
        _costSeries = [new ChartSeries<double> { Name = "Cost", Data = days.Select(d => perDay.GetValueOrDefault(d)).ToArray() }];
        _monthLabel = month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
    }

    public void Dispose() => _live?.Dispose();
}
