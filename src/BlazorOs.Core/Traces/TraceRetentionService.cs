using System.Globalization;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Traces;

/// <summary>
/// Deletes the trace events of runs that ended longer ago than the retention setting (default 90 days). The runs and
/// their steps stay (status, outcome, cost, outputs), so history and KPIs keep their numbers; only the step-by-step
/// detail goes. Runs still going keep their whole trace, however old. Runs hourly and once at start.
/// </summary>
public sealed partial class TraceRetentionService(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    SettingsStore settings,
    TimeProvider clock,
    ILogger<TraceRetentionService> logger) : BackgroundService
{
    public const string RetentionDaysKey = "traces.retentionDays";
    public const int DefaultRetentionDays = 90;
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // Small batches keep each write transaction short, so runs writing their traces never wait long for the lock.
    private const int BatchSize = 2000;

    public async Task<int> GetRetentionDaysAsync(CancellationToken cancellationToken = default) =>
        int.TryParse(await settings.GetAsync(RetentionDaysKey, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            && days > 0 ? days : DefaultRetentionDays;

    public async Task SetRetentionDaysAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        await settings.SetAsync(RetentionDaysKey, days.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>Deletes what retention allows now; returns how many events went.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var days = await GetRetentionDaysAsync(cancellationToken);
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var expiredRuns = db.Runs.Where(r => r.EndedAt != null && r.EndedAt < cutoff
                && (r.Status == RunStatus.Completed || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled)).Select(r => r.Id);
            var batch = await db.TraceEvents.Where(e => expiredRuns.Contains(e.RunId)).OrderBy(e => e.Id).Select(e => e.Id)
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            deleted += await db.TraceEvents.Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted > 0)
        {
            LogPruned(deleted, days);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Retried at the next interval; pruning late is harmless, stopping the app is not.
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace retention deleted {Count} trace events of runs that ended more than {Days} days ago")]
    private partial void LogPruned(int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trace retention failed")]
    private partial void LogFailed(Exception exception);
}
