using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// Runs, filtered by the query string, with their status kept live from the trace bus: a run's row follows its events
/// (status, the step it is at), new and finished runs are re-read from the store, and durations tick while runs are live.
/// </summary>
public sealed partial class RunsPage
{
    internal const int Shown = 200;
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(30);

    private readonly HashSet<Guid> _busy = [];
    private List<RunRow>? _rows;
    private List<(Guid Id, string Name)> _playbooks = [];
    private List<(Guid Id, string Title)> _goals = [];
    private LiveTrace? _live;
    private PeriodicTimer? _ticker;

    [Inject] private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ITraceBus Bus { get; set; } = default!;
    [Inject] private IPlaybookEngine Engine { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [SupplyParameterFromQuery(Name = "playbook")] public string? PlaybookQuery { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusQuery { get; set; }
    [SupplyParameterFromQuery(Name = "goal")] public string? GoalQuery { get; set; }
    [SupplyParameterFromQuery(Name = "since")] public string? SinceQuery { get; set; }

    private RunFilter Filter { get; set; } = RunFilter.Parse(null, null, null, null);

    /// <summary>One row, changed in place by trace events between reads of the store.</summary>
    internal sealed class RunRow(Guid id, string playbook, int version, RunStatus status, RunTrigger trigger, DateTime startedAt,
        DateTime? endedAt, long tokensIn, long tokensOut, long costMicros)
    {
        public Guid Id { get; } = id;
        public string Playbook { get; } = playbook;
        public int Version { get; } = version;
        public RunStatus Status { get; set; } = status;
        public RunTrigger Trigger { get; } = trigger;
        public DateTime StartedAt { get; } = startedAt;
        public DateTime? EndedAt { get; set; } = endedAt;
        public long TokensIn { get; } = tokensIn;
        public long TokensOut { get; } = tokensOut;
        public long CostMicros { get; } = costMicros;
        public string? CurrentStep { get; set; }
        public long LastSequence { get; set; }

        /// <summary>When the last event shown happened (Unix ms): the perf script compares it with the browser's clock.</summary>
        public long LastEventAtMs { get; set; }

        /// <summary>When this page got that event from the bus (Unix ms), i.e. after the store committed it.</summary>
        public long LastReceivedAtMs { get; set; }

        public bool IsFinal => Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;
    }

    protected override async Task OnInitializedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _playbooks = (await db.Playbooks.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync())
            .Select(p => (p.Id, p.Name)).ToList();
        _goals = (await db.Goals.AsNoTracking().OrderBy(g => g.Title).Select(g => new { g.Id, g.Title }).ToListAsync())
            .Select(g => (g.Id, g.Title)).ToList();
    }

    protected override async Task OnParametersSetAsync()
    {
        Filter = RunFilter.Parse(PlaybookQuery, StatusQuery, GoalQuery, SinceQuery);
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // Only once interactive: a prerender has no circuit to push to.
            _live = new LiveTrace(Bus, _ => true, InvokeAsync, ApplyAsync, e => _ = DispatchExceptionAsync(e), RenderInterval, Clock);
            _ticker = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
            _ = TickAsync(_ticker);
        }
    }

    private async Task LoadAsync()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        await using var db = await DbFactory.CreateDbContextAsync();
        var rows = await Filter.Apply(db.Runs.AsNoTracking(), now).OrderByDescending(r => r.StartedAt).Take(Shown)
            .Join(db.Playbooks, r => r.PlaybookId, p => p.Id, (r, p) => new RunRow(r.Id, p.Name, r.VersionNumber, r.Status,
                r.Trigger, r.StartedAt, r.EndedAt, r.TokensIn, r.TokensOut, r.CostMicros))
            .ToListAsync();

        // What the live events told us survives a re-read: the store has no "current step".
        var known = _rows?.ToDictionary(r => r.Id);
        foreach (var row in rows)
        {
            if (known?.GetValueOrDefault(row.Id) is { } before)
            {
                row.CurrentStep = before.CurrentStep;
                row.LastSequence = before.LastSequence;
                row.LastEventAtMs = before.LastEventAtMs;
                row.LastReceivedAtMs = before.LastReceivedAtMs;
            }
        }

        _rows = rows;
    }

    /// <summary>Applies a batch of events to the rows; re-reads the store when a run appears or reaches a final state.</summary>
    private async Task ApplyAsync(IReadOnlyList<LiveEvent> batch)
    {
        if (_rows is null)
        {
            return;
        }

        var rows = _rows.ToDictionary(r => r.Id);
        var reload = false;
        foreach (var (message, receivedAt) in batch)
        {
            if (!rows.TryGetValue(message.RunId, out var row))
            {
                // A new run, or one that moves into the statuses shown.
                reload |= message.Kind == "run.started" || (StatusAfter(message.Kind) is { } entered && Filter.Statuses.Contains(entered));
                continue;
            }

            if (message.Sequence <= row.LastSequence)
            {
                continue;
            }

            row.LastSequence = message.Sequence;
            row.LastEventAtMs = new DateTimeOffset(DateTime.SpecifyKind(message.At, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            row.LastReceivedAtMs = receivedAt.ToUnixTimeMilliseconds();
            if (message.Kind == "step.started")
            {
                row.CurrentStep = message.NodeId;
            }

            if (StatusAfter(message.Kind) is { } status && status != row.Status)
            {
                row.Status = status;
                // Final: read its end time and cost. Out of the statuses shown: it leaves the list.
                reload |= row.IsFinal || (Filter.Statuses.Count > 0 && !Filter.Statuses.Contains(status));
            }
        }

        if (reload)
        {
            await LoadAsync();
        }

        StateHasChanged();
    }

    /// <summary>The status a run has after an event of <paramref name="kind"/>, when that event changes it.</summary>
    internal static RunStatus? StatusAfter(string kind) => kind switch
    {
        "run.started" or "run.retried" or "run.recovered" or "step.started" or "approval.answered" => RunStatus.Running,
        "approval.requested" or "escalation.opened" or "timer.set" or "subplaybook.waiting" => RunStatus.Suspended,
        "run.completed" => RunStatus.Completed,
        "run.failed" => RunStatus.Failed,
        "run.cancelled" => RunStatus.Cancelled,
        _ => null,
    };

    private async Task TickAsync(PeriodicTimer ticker)
    {
        try
        {
            while (await ticker.WaitForNextTickAsync())
            {
                if (_rows?.Any(r => !r.IsFinal) == true)
                {
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away.
        }
    }

    private Task SelectStatusesAsync(IEnumerable<RunStatus>? statuses) =>
        NavigateAsync(Filter with { Statuses = (statuses ?? []).ToHashSet() });

    private Task NavigateAsync(RunFilter filter)
    {
        Navigation.NavigateTo(filter.Link());
        return Task.CompletedTask;
    }

    private Task ActAsync(RunRow row, RunAction action) => action switch
    {
        RunAction.Cancel => CancelAsync(row),
        RunAction.Retry => RetryAsync(row),
        _ => RerunAsync(row),
    };

    private async Task CancelAsync(RunRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Cancel this run?",
            $"The run of {row.Playbook} stops where it is and its open questions close. A cancelled run cannot be resumed; you can run it again.",
            yesText: "Cancel the run", cancelText: "Keep it running");
        if (confirmed == true)
        {
            await ChangeAsync(row, async by => await Engine.CancelAsync(row.Id, by), "Run cancelled.");
        }
    }

    private Task RetryAsync(RunRow row) =>
        ChangeAsync(row, async by => await Engine.RetryAsync(row.Id, by), "Retrying from the failed step.");

    private async Task RerunAsync(RunRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Run again with the same inputs?",
            $"A new run of {row.Playbook} (its latest version) starts with the inputs of this one. Every step runs again, including steps that send or pay.",
            yesText: "Run again", cancelText: "Cancel");
        if (confirmed == true)
        {
            await ChangeAsync(row, async _ =>
            {
                var id = await Engine.RerunAsync(row.Id);
                Snackbar.Add($"Started a new run of {row.Playbook}.", Severity.Success, options =>
                {
                    options.Action = "Open";
                    options.OnClick = _ =>
                    {
                        Navigation.NavigateTo($"/runs/{id}");
                        return Task.CompletedTask;
                    };
                });
            }, success: null);
        }
    }

    private async Task ChangeAsync(RunRow row, Func<string, Task> action, string? success)
    {
        _busy.Add(row.Id);
        try
        {
            var by = (AuthState is null ? null : (await AuthState).User.Identity?.Name) ?? "operator";
            await action(by);
            if (success is not null)
            {
                Snackbar.Add(success, Severity.Success);
            }
        }
        catch (Exception ex) when (ex is AnswerRejectedException or RunStartException or KeyNotFoundException or InvalidOperationException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy.Remove(row.Id);
        }

        await LoadAsync();
    }

    public void Dispose()
    {
        _live?.Dispose();
        _ticker?.Dispose();
    }
}
