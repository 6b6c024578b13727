using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

/// <summary>The prompt an agent step sent, as rendered (Liquid already applied).</summary>
public sealed record PromptView(string Prompt, string? System, string? Tier, IReadOnlyList<string> Tools);

/// <summary>What the model answered, with what it cost.</summary>
public sealed record ReplyView(string Text, string? Model, long TokensIn, long TokensOut, long CostMicros);

/// <summary>One tool call of an agent step; a refused call was stopped by the step's allowed tools or hosts.</summary>
public sealed record ToolCallView(string Tool, string? Arguments, string? Result, bool Allowed);

/// <summary>
/// One step of the run page's timeline: the step's row (status, attempts, times, usage, output, error) and the trace
/// events it wrote, from which the detail (prompt, reply, tool calls) and the decisions are read.
/// </summary>
/// <param name="RunInputsJson">The run's inputs: what a trigger step passed on.</param>
public sealed record StepView(StepRun Row, string Label, IReadOnlyList<TraceMessage> Events, string? RunInputsJson = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>running, waiting, done, failed, skipped or pending: the names the canvas overlay knows (status.js).</summary>
    public string Status => StatusName(Row.Status);

    public PromptView? Prompt => Last("agent.prompt") is { } data
        ? new PromptView(Text(data["prompt"]) ?? string.Empty, Text(data["system"]), Text(data["tier"]),
            data["tools"] is JsonArray tools ? [.. tools.Select(Text).OfType<string>()] : [])
        : null;

    public ReplyView? Reply => Last("agent.reply") is { } data
        ? new ReplyView(Text(data["text"]) ?? string.Empty, Text(data["model"]), Number(data["tokensIn"]), Number(data["tokensOut"]),
            Number(data["costMicros"]))
        : null;

    public IReadOnlyList<ToolCallView> ToolCalls =>
        [.. DataOf("agent.tool").Select(d => new ToolCallView(Text(d["tool"]) ?? "?", Text(d["arguments"]), Text(d["result"]),
            d["allowed"]?.GetValueKind() != JsonValueKind.False))];

    /// <summary>The working-memory notes the step kept for the run's later steps, as "subject predicate = value".</summary>
    public IReadOnlyList<string> Notes =>
        [.. DataOf(WorkingMemory.TraceKind).Select(d => $"{Text(d["subject"])} {Text(d["predicate"])} = {Text(d["value"])}")];

    /// <summary>Why each attempt failed, oldest first (retries and the final failure).</summary>
    public IReadOnlyList<string> Errors =>
        [.. Events.Where(e => e.Level != TraceLevel.Info && e.Kind is "step.retry" or "step.failed" or "http.error").Select(e => e.Message)];

    private IReadOnlyList<DecisionView>? _decisions;

    /// <summary>Read once: the timeline asks on every render, and each parses its events' JSON.</summary>
    public IReadOnlyList<DecisionView> Decisions => _decisions ??= DecisionView.Of(this);

    /// <summary>
    /// What the step worked on: its recorded input; for a trigger the run's inputs; for an HTTP step the request it sent;
    /// for an approval or task the question it asked. (An agent's input is its rendered prompt, shown on its own.)
    /// </summary>
    public string? InputText =>
        Pretty(Row.InputJson)
        ?? (Row.Kind.StartsWith("trigger.", StringComparison.Ordinal) ? Pretty(RunInputsJson) : null)
        ?? (DataOf("http.request").LastOrDefault() is { } request ? request.ToJsonString(Indented) : null)
        ?? Events.LastOrDefault(e => e.Kind is "approval.requested" or "escalation.opened")?.Message;

    public string? OutputText => Pretty(Row.OutputJson);

    public static string StatusName(StepStatus status) => status switch
    {
        StepStatus.Running => "running",
        StepStatus.Waiting => "waiting",
        StepStatus.Completed => "done",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        _ => "pending",
    };

    internal IEnumerable<JsonObject> DataOf(string kind) =>
        Events.Where(e => e.Kind == kind && e.DataJson is not null).Select(e => Parse(e.DataJson)).OfType<JsonObject>();

    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>JSON as an operator reads it: strings as they are, everything else indented.</summary>
    internal static string? Pretty(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var node = Parse(json);
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
            : node?.ToJsonString(Indented) ?? json;
    }

    private JsonObject? Last(string kind) => DataOf(kind).LastOrDefault();

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    private static JsonNode? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            // Data is written as JSON by the engine; a truncated preview is not, and shows as text instead.
            return JsonValue.Create(json);
        }
    }
}
