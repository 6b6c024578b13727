using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Data;

/// <summary>
/// Checkpoints the SQLite WAL on a fixed interval and once at shutdown. SQLite's own auto-checkpoint can
/// starve while readers overlap, which is how peers ended up with multi-gigabyte WAL files.
/// </summary>
public sealed partial class WalCheckpointService(
    DatabaseMaintenance maintenance,
    DatabaseSettings settings,
    TimeProvider clock,
    ILogger<WalCheckpointService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsSqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await CheckpointAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (settings.IsSqlite)
        {
            await CheckpointAsync(cancellationToken);
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await maintenance.CheckpointAsync(cancellationToken);
            if (result is { Busy: true })
            {
                LogBusy(result.WalFrames, result.CheckpointedFrames);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed checkpoint is retried at the next tick; it must not stop the app.
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "WAL checkpoint could not finish (readers active): {Checkpointed} of {Frames} frames copied; retrying next interval")]
    private partial void LogBusy(long frames, long checkpointed);

    [LoggerMessage(Level = LogLevel.Error, Message = "WAL checkpoint failed")]
    private partial void LogFailed(Exception exception);
}
