using System.Globalization;
using BlazorOs.Core.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Memory;

/// <summary>
/// The hourly memory job (and once at start): condenses the traces of runs that ended more than
/// <see cref="CondenseAfterDaysKey"/> days ago (default 7) into summaries, then applies the retention rules
/// (<see cref="MemoryRetention"/>), which log what they did. Failures are logged and retried at the next tick.
/// </summary>
public sealed partial class MemoryRetentionService(
    MemoryRetention retention,
    MemoryCondenser condenser,
    SettingsStore settings,
    TimeProvider clock,
    ILogger<MemoryRetentionService> logger) : BackgroundService
{
    public const string CondenseAfterDaysKey = "memory.condenseAfterDays";
    public const int DefaultCondenseAfterDays = 7;
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // A model call per run: a bounded number per pass keeps one pass short and its cost predictable.
    private const int MaxCondensedPerPass = 50;

    /// <summary>One pass: condensation, then the rules. Returns how many runs were condensed and the log entries written.</summary>
    public async Task<(int Condensed, IReadOnlyList<RetentionLogEntry> Log)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var days = int.TryParse(await settings.GetAsync(CondenseAfterDaysKey, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && d > 0 ? d : DefaultCondenseAfterDays;
        var condensed = await condenser.CondenseDueAsync(clock.GetUtcNow().UtcDateTime.AddDays(-days), MaxCondensedPerPass, cancellationToken);
        var log = await retention.ApplyAsync(cancellationToken);
        if (condensed > 0 || log.Any(e => e.Deleted > 0))
        {
            LogPass(condensed, log.Sum(e => e.Deleted));
        }

        return (condensed, log);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory job condensed {Condensed} run trace(s) and retention deleted {Deleted} item(s)")]
    private partial void LogPass(int condensed, int deleted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Memory retention failed")]
    private partial void LogFailed(Exception exception);
}
