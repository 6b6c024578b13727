using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// What the clock starts: delays and cron schedules, on a real SQLite file with a fake clock that also drives the
/// engine's once-a-second tick, so nothing fires until the test moves time. Invariant: due times live in the
/// database, so a restart loses no timer and no schedule; after downtime a schedule catches up with one run, not one
/// per missed occurrence.
/// </summary>
public sealed class ClockTests : IAsyncLifetime
{
    private static readonly DateTimeOffset TenToNine = new(2026, 3, 2, 8, 50, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(TenToNine);
    private EngineHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await EngineHost.StartAsync(clock: _clock);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_delay_keeps_its_due_time_in_the_database_survives_a_restart_and_ends_when_it_is_due()
    {
        var id = await _host.ImportAsync(Playbooks.With(
            """
            { "id": "wait", "kind": "delay", "settings": { "seconds": 90 } },
            { "id": "done", "kind": "end", "settings": { "outcome": "waited" } }
            """,
            """{ "from": "start", "to": "wait" }, { "from": "wait", "to": "done" }"""));
        var runId = await _host.StartRunAsync(id);
        var timer = await _host.OpenApprovalAsync(runId, ApprovalKind.Timer);
        Assert.Equal(TenToNine.UtcDateTime.AddSeconds(90), timer.DueAt);

        await _host.RestartAsync();
        _clock.Advance(TimeSpan.FromSeconds(90));
        var run = await _host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "waited"), (run.Status, run.Outcome));
        Assert.True(run.EndedAt >= timer.DueAt, $"The run ended at {run.EndedAt:O}, before its timer was due at {timer.DueAt:O}.");
        var kinds = await _host.TraceKindsAsync(runId);
        Assert.True(kinds.IndexOf("run.recovered") < kinds.IndexOf("timer.fired"), string.Join(", ", kinds));
        await using var db = await _host.DbAsync();
        var fired = await db.Approvals.AsNoTracking().SingleAsync(a => a.Id == timer.Id, TestContext.Current.CancellationToken);
        Assert.Equal((ApprovalStatus.Answered, ApprovalDecision.TimedOut, "scheduler"), (fired.Status, fired.Decision, fired.AnsweredBy));
    }

    [Fact]
    public async Task A_scheduled_playbook_starts_a_run_when_its_cron_comes_due()
    {
        var id = await ImportQuarterHourlyAsync();
        Assert.Equal(At(9, 0), (await ScheduleWhenDueAtAsync(id, At(9, 0))).NextDueAt);
        Assert.Empty(await ScheduledRunsAsync(id));

        _clock.SetUtcNow(At(9, 0));
        var runs = await ScheduledRunsAsync(id, count: 1);

        Assert.Equal(At(9, 0), runs[0].StartedAt);
        Assert.Equal("ran", (await _host.WaitForAsync(runs[0].Id, RunStatus.Completed)).Outcome);
        var schedule = await ScheduleWhenDueAtAsync(id, At(9, 15));
        Assert.Equal(At(9, 0), schedule.LastFiredAt);
    }

    [Fact]
    public async Task After_downtime_a_schedule_catches_up_with_one_run_not_one_per_missed_occurrence()
    {
        var id = await ImportQuarterHourlyAsync();
        await ScheduleWhenDueAtAsync(id, At(9, 0));

        // Three hours down: twelve quarter hours missed, from 09:00 to 11:45.
        await _host.RestartAsync(whileStopped: () => _clock.SetUtcNow(At(11, 50)));
        var catchUp = await ScheduledRunsAsync(id, count: 1);
        await ScheduleWhenDueAtAsync(id, At(12, 0));
        _clock.SetUtcNow(At(12, 0));
        // The 12:00 run starts on a later tick than the catch-up, so by then a burst would have shown.
        var runs = await ScheduledRunsAsync(id, count: 2);

        Assert.Equal(At(11, 50), catchUp[0].StartedAt);
        Assert.Equal([At(11, 50), At(12, 0)], runs.Select(r => r.StartedAt));
    }

    private static DateTime At(int hour, int minute) => new(2026, 3, 2, hour, minute, 0, DateTimeKind.Utc);

    /// <summary>Imports a playbook whose trigger fires every quarter hour, and moves the clock one tick so the engine reads it.</summary>
    private async Task<Guid> ImportQuarterHourlyAsync()
    {
        var id = await _host.ImportAsync(Playbooks.With(
            """{ "id": "done", "kind": "end", "settings": { "outcome": "ran" } }""",
            """{ "from": "start", "to": "done" }""",
            trigger: """{ "id": "start", "kind": "trigger.schedule", "settings": { "cron": "*/15 * * * *", "timeZone": "UTC" } }"""));
        _clock.Advance(EngineBackgroundService.Tick);
        return id;
    }

    private Task<Schedule> ScheduleWhenDueAtAsync(Guid playbookId, DateTime due) =>
        _host.PollAsync(db => db.Schedules.AsNoTracking()
                .SingleOrDefaultAsync(s => s.PlaybookId == playbookId && s.NextDueAt == due, TestContext.Current.CancellationToken),
            () => $"The schedule of {playbookId} is not due at {due:O}.");

    /// <summary>The playbook's scheduled runs by start time, once there are <paramref name="count"/> of them.</summary>
    private Task<List<Run>> ScheduledRunsAsync(Guid playbookId, int count = 0) =>
        _host.PollAsync(async db =>
        {
            var runs = await db.Runs.AsNoTracking().Where(r => r.PlaybookId == playbookId && r.Trigger == RunTrigger.Schedule)
                .OrderBy(r => r.StartedAt).ToListAsync(TestContext.Current.CancellationToken);
            return runs.Count >= count ? runs : null;
        }, () => $"Playbook {playbookId} has fewer than {count} scheduled runs.");
}
