using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;

namespace BlazorOs.Web.Components.Approvals;

/// <summary>
/// What an open question's stored context means to the person answering it: what happens on approval, the output
/// they approve (and may edit), the inputs it came from, and for escalations and tasks what failed or was asked.
/// </summary>
/// <param name="WhatHappens">One sentence: the consequence of the main answer.</param>
/// <param name="Output">The output to approve (an approval's <c>show</c>, a gated step's settings), as text.</param>
/// <param name="Inputs">The run's inputs, indented JSON, when the context carries them.</param>
/// <param name="DetailLabel">A caption for <paramref name="Detail"/>: what failed, what the step was asked.</param>
public sealed record DecisionContext(string WhatHappens, string? Output, string? Inputs, string? DetailLabel, string? Detail)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static DecisionContext Read(ApprovalKind kind, string? contextJson)
    {
        var context = Parse(contextJson);
        var step = Text(context?["step"]);
        return kind switch
        {
            ApprovalKind.Escalation => new(
                $"Retry runs step {step ?? "the step"} again; skip continues the run with the output you write; fail ends the run.",
                null, null, "What failed", Text(context?["error"]) ?? Text(context)),
            ApprovalKind.OperatorTask => new("The run continues with the output you write as this step's output.",
                null, null, "What the step was asked", Text(context?["prompt"]) ?? Text(context)),
            _ when context?["gate"] is not null => new(
                $"Step {step} ({Text(context["kind"])}) runs with the settings below; reject and it does not run.",
                Text(context["settings"]), null, null, null),
            _ when context is JsonObject fields && (fields.ContainsKey("show") || fields.ContainsKey("inputs")) => new(
                "The run continues on its approved path and passes on the output below (or your edit of it); reject and it takes the rejected path.",
                Text(fields["show"]), Text(fields["inputs"]), null, null),
            _ => new("The run continues on its approved path; reject and it takes the rejected path.", null, null,
                context is null ? null : "Context", Text(context)),
        };
    }

    /// <summary>
    /// The operator's edited output: JSON when it looks like JSON (and then it must parse), else the text as a string.
    /// Returns the error to show instead when it does not parse.
    /// </summary>
    public static (JsonNode? Output, string? Error) ParseOutput(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return (null, "Write an output first.");
        }

        if (trimmed[0] is not ('{' or '[' or '"'))
        {
            return (JsonValue.Create(text), null);
        }

        try
        {
            return (JsonNode.Parse(trimmed), null);
        }
        catch (JsonException ex)
        {
            return (null, $"Not valid JSON: {ex.Message}");
        }
    }

    private static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(Indented),
    };
}
