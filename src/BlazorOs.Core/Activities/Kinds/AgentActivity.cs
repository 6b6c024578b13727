using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Activities.Kinds;

/// <param name="AllowedHosts">The only hosts the <c>http.get</c> tool may fetch from; required when that tool is allowed.</param>
internal sealed record AgentSettings(
    string Prompt,
    string? System = null,
    string Tier = "task",
    IReadOnlyList<string>? Tools = null,
    IReadOnlyList<string>? AllowedHosts = null,
    JsonObject? OutputSchema = null);

/// <summary>
/// Asks a model. The prompt and system text are Liquid rendered here, so the model gets plain text and user data is
/// never template syntax. With no model configured the step becomes an operator task ("write the output") and the
/// operator's text is the output: never a made-up answer.
/// </summary>
internal sealed class AgentActivity(SettingsValidator validator, ITemplateRenderer templates) : IActivity
{
    public const string Kind = "agent";
    public const string MemorySearchTool = "memory.search";
    public const string HttpGetTool = "http.get";
    public const int TracedPromptChars = 4000;

    public static readonly ActivityDescriptor Definition = new(
        Kind,
        "Agent",
        "Asks a language model: a prompt (Liquid template), optional system instructions, the model tier, allowed tools and an optional JSON schema for a structured answer.",
        ActivityCategory.Ai,
        "Icons.Material.Outlined.Psychology",
        ["next", "error"],
        [
            new SettingField("prompt", SettingType.MultilineText, "What to ask. Use {{ inputs.x }} and {{ steps.id.output }} for run data.", Required: true, Template: true),
            new SettingField("system", SettingType.MultilineText, "Instructions that frame every answer (role, tone, rules).", Template: true),
            new SettingField("tier", SettingType.Choice, "task: the cheap everyday model; planner: the stronger model for heavy reasoning.", Choices: ["task", "planner"], Default: "task"),
            new SettingField("tools", SettingType.StringList, "Tools the model may call: memory.search (recall facts), http.get (fetch a page from the allowed hosts).", Choices: [MemorySearchTool, HttpGetTool]),
            new SettingField("allowedHosts", SettingType.StringList, "Host names http.get may fetch from, e.g. api.example.com. Nothing else is reachable."),
            new SettingField("outputSchema", SettingType.Json, "JSON schema the answer must match; the step's output is then the parsed JSON."),
        ]);

    public ActivityDescriptor Descriptor => Definition;

    public IReadOnlyList<SettingProblem> Validate(JsonObject settings)
    {
        var problems = validator.Check(Definition, settings);
        var hosts = settings["allowedHosts"] as JsonArray;
        foreach (var host in hosts?.Select(ActivitySettings.Text) ?? [])
        {
            if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                problems.Add(new SettingProblem("allowedHosts", $"'{host}' is not a host name (write api.example.com, without scheme or path)."));
            }
        }

        var tools = settings["tools"] as JsonArray;
        if (tools?.Any(t => ActivitySettings.Text(t) == HttpGetTool) == true && (hosts is null || hosts.Count == 0))
        {
            problems.Add(new SettingProblem("allowedHosts", "The http.get tool needs at least one allowed host; it never fetches from anywhere else."));
        }

        return problems;
    }

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (ActivitySettings.TryRead<AgentSettings>(context, out var settings) is { } invalid)
        {
            return invalid;
        }

        if (context.Answer is { } answer)
        {
            return answer.Kind is AnswerKind.Provided or AnswerKind.Modified or AnswerKind.Approved
                ? new ActivityResult.Completed("next", answer.Output?.DeepClone())
                : new ActivityResult.Failed($"The output of '{context.NodeId}' was not written ({answer.Kind}).", Retryable: false);
        }

        string prompt;
        string? system;
        try
        {
            prompt = templates.Render(settings.Prompt, context.Scope);
            system = settings.System is null ? null : templates.Render(settings.System, context.Scope);
        }
        catch (TemplateException ex)
        {
            return ActivitySettings.TemplateFailed("prompt", ex);
        }

        var invoker = context.Services.GetService<IAgentInvoker>();
        if (invoker is not { IsAvailable: true })
        {
            return new ActivityResult.Waiting(new WaitRequest(
                WaitKind.OperatorTask,
                $"No model is configured: write the output of '{context.NodeId}' or configure a provider",
                new JsonObject { ["prompt"] = prompt, ["system"] = system },
                PolicyReason: context.PolicyReason));
        }

        var tier = settings.Tier == "planner" ? ModelTier.Planner : ModelTier.Task;
        var tools = settings.Tools ?? [];
        await context.Trace.WriteAsync("agent.prompt", $"Prompt to the {settings.Tier} model ({prompt.Length:N0} characters)",
            new JsonObject
            {
                ["prompt"] = ActivitySettings.Truncate(prompt, TracedPromptChars),
                ["system"] = system is null ? null : ActivitySettings.Truncate(system, TracedPromptChars),
                ["tier"] = settings.Tier,
                ["tools"] = new JsonArray([.. tools.Select(t => JsonValue.Create(t))]),
            }, cancellationToken: cancellationToken);

        AgentReply reply;
        try
        {
            reply = await invoker.InvokeAsync(new AgentRequest(context.RunId, context.NodeId, prompt, system, tier, tools,
                settings.AllowedHosts ?? [], settings.OutputSchema?.DeepClone()) 
            {
                MemoryReadable = context.Memory.Read,
                WorkingNotes = (query, limit, token) => context.Services.GetRequiredService<WorkingMemory>().SearchAsync(context.RunId, query, limit, token),
            }, cancellationToken);
        }
        catch (AgentException ex)
        {
            return new ActivityResult.Failed(ex.Message, ex.Retryable);
        }

        foreach (var call in reply.ToolCalls)
        {
            await context.Trace.WriteAsync("agent.tool", $"{call.Tool}{(call.Allowed ? "" : " (refused)")}", new JsonObject
            {
                ["tool"] = call.Tool,
                ["arguments"] = ActivitySettings.Truncate(call.Arguments, TracedPromptChars),
                ["result"] = ActivitySettings.Truncate(call.Result, TracedPromptChars),
                ["allowed"] = call.Allowed,
            }, call.Allowed ? Traces.TraceLevel.Info : Traces.TraceLevel.Warning, cancellationToken);
        }

        await context.Trace.WriteAsync("agent.reply", ActivitySettings.Truncate(reply.Text, 500), new JsonObject
        {
            ["text"] = ActivitySettings.Truncate(reply.Text, TracedPromptChars),
            ["model"] = reply.Model,
            ["tokensIn"] = reply.TokensIn,
            ["tokensOut"] = reply.TokensOut,
            ["costMicros"] = reply.CostMicros,
        }, cancellationToken: cancellationToken);
        if (context.Usage is { } usage)
        {
            await usage.RecordAsync(reply.TokensIn, reply.TokensOut, reply.CostMicros, cancellationToken);
        }

        return new ActivityResult.Completed("next", reply.Structured?.DeepClone() ?? JsonValue.Create(reply.Text));
    }
}
