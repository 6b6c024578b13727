using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using System.Text.Json.Nodes;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>
/// One open question with its decision context and the answers that fit its kind. The inbox drives it from the keyboard
/// through <see cref="ApproveAsync"/>, <see cref="RejectAsync"/>, <see cref="StartEditing"/> and <see cref="StopEditing"/>.
/// </summary>
public sealed partial class ApprovalCard
{
    private ElementReference _root;
    private bool _focused;
    private DecisionContext _context = new("", null, null, null, null);
    private bool _editing;
    private bool _busy;
    private string _output = string.Empty;
    private string? _error;

    [Inject] private IPlaybookEngine Engine { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [Parameter, EditorRequired]
    public ApprovalItem Item { get; set; } = default!;

    /// <summary>Whether the inbox's keyboard focus is on this card (drawn with a focus ring).</summary>
    [Parameter]
    public bool Selected { get; set; }

    [Parameter]
    public EventCallback OnSelect { get; set; }

    /// <summary>Called with the card's approval once the engine accepted the answer.</summary>
    [Parameter]
    public EventCallback<Guid> OnAnswered { get; set; }

    public bool IsEditing => _editing;

    private string CardClass => "pa-4 bos-inbox-card" + (Selected ? " bos-inbox-card--selected" : "");

    private string KindLabel => Item.Kind switch
    {
        ApprovalKind.Escalation => "Escalation",
        ApprovalKind.OperatorTask => "Task for you",
        _ => "Approval",
    };

    private string ConsequenceLabel => Item.Kind switch
    {
        ApprovalKind.Approval => "If you approve:",
        _ => "What happens:",
    };

    private string EditLabel => Item.Kind switch
    {
        ApprovalKind.Escalation => "Output to continue with",
        ApprovalKind.OperatorTask => "Output",
        _ => "Edited output",
    };

    protected override void OnParametersSet() => _context = DecisionContext.Read(Item.Kind, Item.Context);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Focus follows the selection once, when it arrives; never while the operator types in the editor.
        if (Selected && !_focused && !_editing)
        {
            _focused = true;
            try
            {
                await _root.FocusAsync();
            }
            catch (JSException)
            {
                // The page is being left.
            }
        }
        else if (!Selected)
        {
            _focused = false;
        }
    }

    /// <summary>The card's main answer: approve an approval, retry an escalation, open the editor of a task.</summary>
    public Task ApproveAsync() => Item.Kind switch
    {
        ApprovalKind.Approval => AnswerAsync(ApprovalDecision.Approve, null),
        ApprovalKind.Escalation => AnswerAsync(ApprovalDecision.Retry, null),
        _ => StartEditingAsync(),
    };

    /// <summary>Rejects an approval; other kinds have no reject (failing an escalation is a button, never a key).</summary>
    public Task RejectAsync() => Item.Kind == ApprovalKind.Approval ? AnswerAsync(ApprovalDecision.Reject, null) : Task.CompletedTask;

    public void StartEditing()
    {
        _editing = true;
        _error = null;
        _output = Item.Kind == ApprovalKind.Approval ? _context.Output ?? string.Empty : string.Empty;
    }

    public void StopEditing()
    {
        _editing = false;
        _error = null;
    }

    private Task StartEditingAsync()
    {
        StartEditing();
        StateHasChanged();
        return Task.CompletedTask;
    }

    private async Task FailAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Fail the run?",
            $"The run of {Item.Playbook} ends as failed at step {Item.NodeId}. You can retry it from this step later on the Runs page.",
            yesText: "Fail the run", cancelText: "Keep it waiting");
        if (confirmed == true)
        {
            await AnswerAsync(ApprovalDecision.Fail, null);
        }
    }

    private Task SubmitEditAsync()
    {
        var (output, error) = DecisionContext.ParseOutput(_output);
        if (error is not null)
        {
            _error = error;
            return Task.CompletedTask;
        }

        return AnswerAsync(Item.Kind == ApprovalKind.Escalation ? ApprovalDecision.Skip : ApprovalDecision.Modify, output);
    }

    private async Task AnswerAsync(ApprovalDecision decision, JsonNode? output)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        _error = null;
        StateHasChanged();
        try
        {
            var by = (AuthState is null ? null : (await AuthState).User.Identity?.Name) ?? "operator";
            await Engine.AnswerAsync(Item.Id, decision, output, by);
            Snackbar.Add($"{KindLabel} answered: {decision.ToString().ToLowerInvariant()}.", Severity.Success);
            _editing = false;
            await OnAnswered.InvokeAsync(Item.Id);
        }
        catch (Exception ex) when (ex is AnswerRejectedException or KeyNotFoundException or InvalidOperationException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
