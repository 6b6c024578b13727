using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Execution.Engine;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>One open question with its decision context and the answers that fit its kind.</summary>
public sealed partial class ApprovalCard
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private bool _editing;
    private bool _busy;
    private string _output = string.Empty;
    private string? _error;
    private string? _shown;

    [Parameter, EditorRequired]
    public ApprovalItem Item { get; set; } = default!;

    [Parameter]
    public EventCallback OnAnswered { get; set; }

    private string KindLabel => Item.Kind switch
    {
        ApprovalKind.Escalation => "Escalation",
        ApprovalKind.OperatorTask => "Task for you",
        _ => "Approval",
    };

    private string ShownLabel => Item.Kind switch
    {
        ApprovalKind.Escalation => "What failed",
        ApprovalKind.OperatorTask => "What the step was asked",
        _ => "What will happen",
    };

    protected override void OnParametersSet() => _shown = Describe(Item.Context);

    /// <summary>The part of the decision context worth reading: what an approval shows, else the whole context.</summary>
    internal static string? Describe(string? contextJson)
    {
        if (contextJson is null)
        {
            return null;
        }

        var context = JsonNode.Parse(contextJson);
        if (context is JsonObject fields && fields["show"] is { } show)
        {
            return show.GetValueKind() == JsonValueKind.String ? show.GetValue<string>() : show.ToJsonString(Indented);
        }

        return context?.ToJsonString(Indented);
    }

    private void StartEditing()
    {
        _editing = true;
        _output = Item.Kind == ApprovalKind.Approval ? _shown ?? string.Empty : string.Empty;
    }

    private async Task AnswerAsync(ApprovalDecision decision)
    {
        _busy = true;
        _error = null;
        try
        {
            var output = decision is ApprovalDecision.Modify or ApprovalDecision.Skip ? OutputNode(_output) : null;
            await Engine.AnswerAsync(Item.Id, decision, output, "operator");
            Snackbar.Add($"{KindLabel} answered: {decision.ToString().ToLowerInvariant()}.", Severity.Success);
            await OnAnswered.InvokeAsync();
        }
        catch (AnswerRejectedException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>JSON when the operator typed JSON, else the text as a string value.</summary>
    private static JsonNode? OutputNode(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
