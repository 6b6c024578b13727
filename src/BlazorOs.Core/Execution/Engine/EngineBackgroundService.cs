using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// Resumes unfinished runs at start, then once a second answers what the clock answers (due timers, timed-out
/// approvals, ended child runs) and fires due schedules. At stop, runs are left as they are, to resume next time.
/// </summary>
internal sealed partial class EngineBackgroundService(
    PlaybookEngine engine,
    ScheduleTrigger schedules,
    TimeProvider clock,
    ILogger<EngineBackgroundService> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await engine.RecoverAsync(stoppingToken);
        using var timer = new PeriodicTimer(Tick, clock);
        do
        {
            try
            {
                await engine.SettleDueWaitsAsync(stoppingToken);
                await schedules.SyncAsync(stoppingToken);
                await schedules.FireDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; a failing tick must not stop timers for good.
                LogTickFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await engine.ShutdownAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine tick failed")]
    private partial void LogTickFailed(Exception exception);
}
