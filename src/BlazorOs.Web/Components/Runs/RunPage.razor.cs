using System.Collections.Concurrent;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using BlazorOs.Core.Playbooks.Drafts;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Playbooks;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// One run, live (<c>/runs/{id}</c>): status, steps with their detail and "why" cards, the run's working-memory notes, the
/// whole trace (virtualised), and the playbook's canvas coloured by step status. The page subscribes to the trace bus
/// before it reads the store, so nothing published during the load is lost; events are merged by sequence number
/// (<see cref="RunTraceLog"/>), a gap is filled from the store, and renders are throttled so a burst of events costs one
/// render.
/// </summary>
public sealed partial class RunPage : IAsyncDisposable
{
    /// <summary>At most one refresh per this interval; the first event after a quiet spell shows at once.</summary>
    internal static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);

    private readonly RunTraceLog _trace = new();
    private readonly ConcurrentQueue<TraceMessage> _incoming = new();
    private readonly CancellationTokenSource _disposed = new();
    private IDisposable? _subscription;
    private ITimer? _ticker;
    private int _refreshQueued;
    private long _lastRefreshTicks;
    private bool _loaded;
    private bool _busy;
    private Run? _run;
    private string? _playbookName;
    private DraftState? _graph;
    private Dictionary<string, string?> _labels = [];
    private List<StepRun> _stepRows = [];
    private IReadOnlyList<StepView> _steps = [];
    private IReadOnlyList<WorkingNoteView> _notes = [];
    private List<string> _openQuestions = [];
    private string? _failedStep;
    private DesignerCanvas? _canvas;
    private StepTimeline? _timeline;
    private Dictionary<string, string>? _canvasStatuses;
    private DesignerCanvas? _canvasShownOn;
    private Guid? _stepOpenedFor;

    [Parameter]
    public Guid RunId { get; set; }

    /// <summary>A step to open on arrival (<c>/runs/{id}?step=draft</c>): memory provenance links to the step that wrote.</summary>
    [SupplyParameterFromQuery(Name = "step")]
    public string? Step { get; set; }

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private ITraceBus Bus { get; set; } = default!;

    [Inject]
    private TraceReader Reader { get; set; } = default!;

    [Inject]
    private IPlaybookEngine Engine { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    private string TraceUrl => $"/api/runs/{RunId}/trace";

    private bool CanRetry => _run?.Status == RunStatus.Failed && _failedStep is not null;

    protected override async Task OnParametersSetAsync()
    {
        Unsubscribe();
        _trace.Messages.Clear();
        _incoming.Clear();
        _graph = null;

        // Subscribe first: what is published while the store is read waits in the queue and is merged by sequence.
        _subscription = Bus.Subscribe(RunId, OnTraceAsync);
        await using (var db = await DbFactory.CreateDbContextAsync(_disposed.Token))
        {
            _run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == RunId, _disposed.Token);
            if (_run is not null)
            {
                _playbookName = await db.Playbooks.Where(p => p.Id == _run.PlaybookId).Select(p => p.Name).SingleAsync(_disposed.Token);
                var definition = await db.PlaybookVersions.Where(v => v.Id == _run.PlaybookVersionId).Select(v => v.Definition)
                    .SingleAsync(_disposed.Token);
                _graph = DraftDocument.Read(definition);
                _labels = _graph.Nodes.ToDictionary(n => n.Id, n => n.Label, StringComparer.Ordinal);
            }
        }

        if (_run is null)
        {
            Unsubscribe();
            _loaded = true;
            return;
        }

        await CatchUpAsync();
        _trace.Merge(Drain());
        await LoadStepsAsync();
        _loaded = true;
        if (!_run.IsFinal)
        {
            // Durations of a live run keep counting between events.
            _ticker ??= Clock.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Step is not null && _timeline is not null && _stepOpenedFor != RunId)
        {
            _stepOpenedFor = RunId;
            _timeline.Open(Step);
        }

        if (_canvas is null)
        {
            return;
        }

        // Only when a status changed: the one-second ticker renders too, and the canvas needs nothing then.
        var statuses = RunTimeline.StatusByNode(_stepRows);
        if (_canvasStatuses is null || !ReferenceEquals(_canvasShownOn, _canvas) || statuses.Count != _canvasStatuses.Count
            || statuses.Any(s => _canvasStatuses.GetValueOrDefault(s.Key) != s.Value))
        {
            _canvasStatuses = statuses;
            _canvasShownOn = _canvas;
            await _canvas.SetStatusAsync(statuses);
        }
    }

    private ValueTask OnTraceAsync(TraceMessage message)
    {
        // Called on the writer's thread while it holds the run's lock: queue, never wait for the UI.
        _incoming.Enqueue(message);
        if (Interlocked.Exchange(ref _refreshQueued, 1) == 0)
        {
            _ = RefreshSoonAsync();
        }

        return ValueTask.CompletedTask;
    }

    private async Task RefreshSoonAsync()
    {
        try
        {
            var wait = RenderInterval - Clock.GetElapsedTime(Interlocked.Read(ref _lastRefreshTicks));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, Clock, _disposed.Token);
            }

            await InvokeAsync(RefreshAsync);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private async Task RefreshAsync()
    {
        Interlocked.Exchange(ref _lastRefreshTicks, Clock.GetTimestamp());
        // Cleared before draining: an event that arrives during this refresh queues the next one.
        Volatile.Write(ref _refreshQueued, 0);
        if (_trace.Merge(Drain()))
        {
            await CatchUpAsync();
        }

        await LoadStepsAsync();
        StateHasChanged();
    }

    /// <summary>Reads from the store everything after the last sequence held (several pages for a long run).</summary>
    private async Task CatchUpAsync()
    {
        while (true)
        {
            var page = await Reader.ReadAfterAsync(RunId, _trace.LastSequence, cancellationToken: _disposed.Token);
            _trace.Merge(page, fromStore: true);
            if (page.Count < TraceReader.PageSize)
            {
                return;
            }
        }
    }

    private async Task LoadStepsAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync(_disposed.Token);
        _run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == RunId, _disposed.Token);
        _stepRows = await db.StepRuns.AsNoTracking().Where(s => s.RunId == RunId).ToListAsync(_disposed.Token);
        _openQuestions = await db.Approvals.AsNoTracking().Where(a => a.RunId == RunId && a.Status == ApprovalStatus.Open
                && a.Kind != ApprovalKind.Timer && a.Kind != ApprovalKind.ChildRun)
            .OrderBy(a => a.CreatedAt).Select(a => a.Question).ToListAsync(_disposed.Token);
        _steps = RunTimeline.Build(_stepRows, _trace.Messages, _labels, _run.InputsJson);
        _notes = WorkingNoteView.From(_trace.Messages);
        _failedStep = _stepRows.Where(s => s.Status == StepStatus.Failed).MaxBy(s => s.StartedAt)?.NodeId;
        if (_run.IsFinal && _ticker is not null)
        {
            await _ticker.DisposeAsync();
            _ticker = null;
        }
    }

    private List<TraceMessage> Drain()
    {
        List<TraceMessage> messages = [];
        while (_incoming.TryDequeue(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }

    private void OpenStep(string nodeId) => _timeline?.Open(nodeId);

    private async Task<string> OperatorAsync() =>
        Authentication is null ? "operator" : (await Authentication).User.Identity?.Name ?? "operator";

    private Task CancelAsync() => ActAsync(who => Engine.CancelAsync(RunId, who), "Run cancelled.");

    private Task RetryAsync() => ActAsync(who => Engine.RetryAsync(RunId, who), $"Retrying from {_failedStep}.");

    private async Task RerunAsync()
    {
        _busy = true;
        try
        {
            var started = await Engine.RerunAsync(RunId);
            Navigation.NavigateTo($"/runs/{started}");
        }
        catch (Exception ex) when (ex is RunStartException or KeyNotFoundException or AnswerRejectedException)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ActAsync(Func<string, Task> action, string done)
    {
        _busy = true;
        try
        {
            await action(await OperatorAsync());
            Snackbar.Add(done, Severity.Success);
            await RefreshAsync();
        }
        catch (Exception ex) when (ex is AnswerRejectedException or KeyNotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Unsubscribe()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    public async ValueTask DisposeAsync()
    {
        Unsubscribe();
        await _disposed.CancelAsync();
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        _disposed.Dispose();
    }
}
