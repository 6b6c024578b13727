using System.Text.Json.Nodes;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

public enum DecisionKind
{
    /// <summary>A condition or switch chose a port from the values it saw.</summary>
    Condition,

    /// <summary>The policy engine allowed the step, asked for approval, or denied it.</summary>
    Policy,

    /// <summary>The operator answered an approval, a task or an escalation.</summary>
    Answer,

    /// <summary>The agent's own summary of why, when its output schema asked for one.</summary>
    Rationale,
}

/// <summary>A fact a decision rested on: a value the expression read, the expression itself, who answered.</summary>
public sealed record DecisionFact(string Label, string Value);

/// <summary>
/// A "why" card: one decision of a step and what it rested on. Built only from what the engine recorded on purpose
/// (the trace's decision events and the step's structured output): never from hidden model reasoning.
/// </summary>
public sealed record DecisionView(DecisionKind Kind, string Title, string Summary, IReadOnlyList<DecisionFact> Facts)
{
    /// <summary>Output fields an agent fills when its output schema asks it to explain itself, in order of preference.</summary>
    internal static readonly string[] RationaleFields = ["rationale", "rationaleSummary", "reasoningSummary", "why"];

    internal static IReadOnlyList<DecisionView> Of(StepView step)
    {
        List<DecisionView> decisions = [];
        foreach (var e in step.Events)
        {
            switch (e.Kind)
            {
                case "policy.decision" when Data(e) is { } policy:
                    decisions.Add(new DecisionView(DecisionKind.Policy, $"Policy: {Verdict(StepView.Text(policy["verdict"]))}",
                        StepView.Text(policy["reason"]) ?? e.Message, []));
                    break;
                case "condition.evaluated" when Data(e) is { } condition:
                    decisions.Add(Condition(condition));
                    break;
                case "approval.answered" when Data(e) is { } answer:
                    decisions.Add(new DecisionView(DecisionKind.Answer, "Your answer",
                        $"{StepView.Text(answer["by"]) ?? "operator"} chose {StepView.Text(answer["decision"])?.ToLowerInvariant() ?? "?"}",
                        answer["output"] is { } output ? [new DecisionFact("Output given", StepView.Text(output) ?? "")] : []));
                    break;
            }
        }

        if (step.Row.Kind == "agent" && Rationale(step.Row.OutputJson) is { } rationale)
        {
            decisions.Add(new DecisionView(DecisionKind.Rationale, "Agent's rationale", rationale, []));
        }

        return decisions;
    }

    private static DecisionView Condition(JsonObject data)
    {
        var port = StepView.Text(data["port"]) ?? "?";
        var isSwitch = data.ContainsKey("value");
        List<DecisionFact> facts = [new("Expression", StepView.Text(data["expression"]) ?? "")];
        if (isSwitch)
        {
            facts.Add(new DecisionFact("Value", StepView.Text(data["value"]) ?? "null"));
        }

        if (data["saw"] is JsonObject saw)
        {
            facts.AddRange(saw.Select(p => new DecisionFact(p.Key, p.Value?.ToJsonString() ?? "null")));
        }

        return new DecisionView(DecisionKind.Condition, isSwitch ? "Switch" : "Condition", $"Took '{port}'", facts);
    }

    private static string Verdict(string? verdict) => verdict switch
    {
        "Allow" => "allowed",
        "RequireApproval" => "approval required",
        "Deny" => "denied",
        _ => verdict ?? "?",
    };

    private static string? Rationale(string? outputJson)
    {
        if (outputJson is null || !outputJson.StartsWith('{'))
        {
            return null;
        }

        var output = JsonNode.Parse(outputJson) as JsonObject;
        return RationaleFields.Select(f => StepView.Text(output?[f])).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
    }

    private static JsonObject? Data(TraceMessage e) => e.DataJson is null ? null : JsonNode.Parse(e.DataJson) as JsonObject;
}
