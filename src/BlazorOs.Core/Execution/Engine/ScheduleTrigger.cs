using BlazorOs.Core.Data;
using Cronos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// Fires <c>trigger.schedule</c> playbooks. Due times live in the database, so a restart loses nothing.
/// Missed occurrences (the app was down): the playbook runs once at start-up for the whole missed window, then
/// follows its cron again; it never runs once per missed occurrence, which after a long outage would be a burst.
/// </summary>
internal sealed partial class ScheduleTrigger(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    IPlaybookDefinitionSource definitions,
    IPlaybookEngine engine,
    TimeProvider clock,
    ILogger<ScheduleTrigger> logger)
{
    /// <summary>Reads the cron of playbooks whose latest version changed since the last look.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stale = await db.Playbooks.AsNoTracking()
            .GroupJoin(db.Schedules, p => p.Id, s => s.PlaybookId, (p, s) => new { p.Id, p.LatestVersion, Schedule = s.FirstOrDefault() })
            .Where(x => x.LatestVersion > 0 && (x.Schedule == null || x.Schedule.Version != x.LatestVersion))
            .ToListAsync(cancellationToken);
        foreach (var playbook in stale)
        {
            var json = await db.PlaybookVersions.Where(v => v.PlaybookId == playbook.Id && v.Number == playbook.LatestVersion)
                .Select(v => v.Definition).SingleAsync(cancellationToken);
            var trigger = definitions.Parse(json).Nodes.FirstOrDefault(n => n.Kind == "trigger.schedule");
            var existing = await db.Schedules.SingleOrDefaultAsync(s => s.PlaybookId == playbook.Id, cancellationToken);
            var cron = trigger?.Settings["cron"]?.GetValue<string>();
            var zone = trigger?.Settings["timeZone"]?.GetValue<string>() ?? "UTC";
            if (cron is null)
            {
                // Not (or no longer) scheduled: keep the row so the version is known, with no due time.
                existing ??= db.Schedules.Add(new Schedule(playbook.Id, playbook.LatestVersion, "-", zone, null)).Entity;
                existing.Change(playbook.LatestVersion, "-", zone, null);
                continue;
            }

            var next = NextAfter(cron, zone, Now);
            if (existing is null)
            {
                db.Schedules.Add(new Schedule(playbook.Id, playbook.LatestVersion, cron, zone, next));
            }
            else
            {
                existing.Change(playbook.LatestVersion, cron, zone, next);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Starts the runs that are due; returns how many started.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now;
        var due = await db.Schedules.Where(s => s.NextDueAt != null && s.NextDueAt <= now).ToListAsync(cancellationToken);
        foreach (var schedule in due)
        {
            // Advance first: a run that fails to start must not be retried every second.
            schedule.Fired(now, NextAfter(schedule.Cron, schedule.TimeZone, now));
            await db.SaveChangesAsync(cancellationToken);
            try
            {
                await engine.StartAsync(new StartRun(schedule.PlaybookId, [], RunTrigger.Schedule), cancellationToken);
            }
            catch (RunStartException ex)
            {
                LogCannotStart(schedule.PlaybookId, ex.Message);
            }
        }

        return due.Count;
    }

    internal static DateTime? NextAfter(string cron, string timeZone, DateTime utc)
    {
        var expression = CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            ? CronFormat.IncludeSeconds : CronFormat.Standard);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return expression.GetNextOccurrence(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled playbook {PlaybookId} could not start: {Reason}")]
    private partial void LogCannotStart(Guid playbookId, string reason);
}
