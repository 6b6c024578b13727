using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>
/// The inbox: open questions across runs, newest first, kept live from the trace bus (new ones appear, answered ones
/// leave), answered from the keyboard or the mouse; and the recently answered ones with who answered and when.
/// </summary>
public sealed partial class ApprovalsPage
{
    internal const int AnsweredShown = 50;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<Guid, ApprovalCard> _cards = [];
    private ElementReference _inbox;
    private List<ApprovalItem>? _open;
    private List<AnsweredItem> _answered = [];
    private Guid? _selected;
    private int _tab;
    private bool _showHelp;
    private LiveTrace? _live;

    [Inject] private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ITraceBus Bus { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _live = new LiveTrace(Bus, LiveTrace.ChangesStatusOrQuestions, InvokeAsync, async _ =>
        {
            await LoadAsync();
            StateHasChanged();
        }, e => _ = DispatchExceptionAsync(e), RefreshInterval, Clock);
        try
        {
            // The keys work at once, without a click into the page first.
            await _inbox.FocusAsync();
        }
        catch (JSException)
        {
            // Nothing to focus in a page that is already being left.
        }
    }

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var open = await db.Approvals.AsNoTracking().Where(Approval.IsOpenForOperator)
            .OrderByDescending(a => a.CreatedAt)
            .Join(db.Runs, a => a.RunId, r => r.Id, (a, r) => new { a, r.PlaybookId })
            .Join(db.Playbooks, x => x.PlaybookId, p => p.Id, (x, p) => new ApprovalItem(x.a.Id, x.a.RunId, p.Name, x.a.NodeId, x.a.Kind,
                x.a.Question, x.a.ContextJson, x.a.PolicyReason, x.a.CreatedAt, x.a.DueAt))
            .ToListAsync();
        _answered = await db.Approvals.AsNoTracking()
            .Where(a => a.Status != ApprovalStatus.Open && a.AnsweredAt != null
                && (a.Kind == ApprovalKind.Approval || a.Kind == ApprovalKind.Escalation || a.Kind == ApprovalKind.OperatorTask))
            .OrderByDescending(a => a.AnsweredAt).Take(AnsweredShown)
            .Join(db.Runs, a => a.RunId, r => r.Id, (a, r) => new { a, r.PlaybookId })
            .Join(db.Playbooks, x => x.PlaybookId, p => p.Id, (x, p) => new AnsweredItem(x.a.Id, x.a.RunId, p.Name, x.a.Kind, x.a.Question,
                x.a.Status, x.a.Decision, x.a.AnsweredBy, x.a.AnsweredAt!.Value, x.a.OutputJson))
            .ToListAsync();

        // The selection stays on its question, or moves to the one that took its place.
        var index = _open is null || _selected is null ? 0 : Math.Max(0, _open.FindIndex(a => a.Id == _selected));
        _open = open;
        if (_selected is null || open.All(a => a.Id != _selected))
        {
            _selected = open.Count == 0 ? null : open[Math.Min(index, open.Count - 1)].Id;
        }

        foreach (var gone in _cards.Keys.Where(id => open.All(a => a.Id != id)).ToList())
        {
            _cards.Remove(gone);
        }
    }

    private void Select(Guid id) => _selected = id;

    private void ToggleHelp() => _showHelp = !_showHelp;

    private async Task AnsweredAsync(Guid id)
    {
        await LoadAsync();
        await FocusInboxAsync();
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.CtrlKey || e.AltKey || e.MetaKey)
        {
            return;
        }

        var card = _selected is { } id ? _cards.GetValueOrDefault(id) : null;
        if (_cards.Values.Any(c => c.IsEditing))
        {
            // Typing in the output editor: only Esc is a command.
            if (e.Key == "Escape")
            {
                foreach (var editing in _cards.Values.Where(c => c.IsEditing))
                {
                    editing.StopEditing();
                }

                await FocusInboxAsync();
            }

            return;
        }

        switch (e.Key)
        {
            case "?":
                ToggleHelp();
                break;
            case "j" or "ArrowDown":
                Move(+1);
                break;
            case "k" or "ArrowUp":
                Move(-1);
                break;
            case "a" when _tab == 0 && card is not null:
                await card.ApproveAsync();
                break;
            case "r" when _tab == 0 && card is not null:
                await card.RejectAsync();
                break;
            case "e" when _tab == 0 && card is not null:
                card.StartEditing();
                break;
        }
    }

    private void Move(int by)
    {
        if (_open is not { Count: > 0 } || _tab != 0)
        {
            return;
        }

        var index = _open.FindIndex(a => a.Id == _selected);
        _selected = _open[Math.Clamp(index + by, 0, _open.Count - 1)].Id;
    }

    private async Task FocusInboxAsync()
    {
        try
        {
            await _inbox.FocusAsync();
        }
        catch (JSException)
        {
            // The page is being left.
        }
    }

    public void Dispose() => _live?.Dispose();
}
