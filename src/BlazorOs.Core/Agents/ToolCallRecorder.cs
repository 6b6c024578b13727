using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace BlazorOs.Core.Agents;

/// <summary>
/// Semantic Kernel's auto-invocation filter for one agent call: checks each tool call against the step's
/// policy (the host allow-list for <c>http.get</c>) before it runs, and records name, arguments, result and
/// whether it was allowed. Calls to tools the step does not allow never reach this filter (they are not
/// registered, so SK answers the model "function not found"); <see cref="CallsIn"/> finds those in the chat
/// history and reports them as refused, so the trace shows every attempt.
/// </summary>
/// <remarks>
/// It also caps the rounds: SK would go on for 128 model requests per call, far too many for a paid step, and
/// SK 1.82 has no option for fewer (nor can <c>FunctionChoiceBehavior</c> be subclassed to switch to
/// <c>tool_choice: none</c>). From round <paramref name="maxRounds"/> on, tool calls get "answer now" instead
/// of a result; a model that still calls a tool after that is stopped (<see cref="StoppedLooping"/>).
/// </remarks>
internal sealed class ToolCallRecorder(IReadOnlyList<string> allowedHosts, int maxRounds) : IAutoFunctionInvocationFilter
{
    private readonly Dictionary<string, AgentToolCall> _byCallId = [];
    private readonly List<AgentToolCall> _withoutId = [];
    private readonly Lock _gate = new();

    /// <summary>True when the model kept calling tools past the cap and the call was ended without an answer.</summary>
    public bool StoppedLooping { get; private set; }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context,
        Func<AutoFunctionInvocationContext, Task> next)
    {
        var tool = AgentTools.NameOf(context.Function);
        var arguments = Serialize(context.Arguments);
        if (context.RequestSequenceIndex >= maxRounds)
        {
            var limit = $"error: tool call limit reached ({maxRounds} rounds); answer now with what you have";
            context.Result = new FunctionResult(context.Function, limit);
            Record(context.ToolCallId, new AgentToolCall(tool, arguments, limit, Allowed: false));
            if (context.RequestSequenceIndex > maxRounds)
            {
                StoppedLooping = true;
                context.Terminate = true;
            }

            return;
        }

        if (tool == AgentTools.HttpGet
            && HttpGetTool.Refusal(context.Arguments?.TryGetValue("url", out var url) == true ? url?.ToString() : null, allowedHosts) is { } refusal)
        {
            context.Result = new FunctionResult(context.Function, refusal);
            Record(context.ToolCallId, new AgentToolCall(tool, arguments, refusal, Allowed: false));
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // SK turns the exception into an error message for the model; the trace gets the same.
            Record(context.ToolCallId, new AgentToolCall(tool, arguments, $"error: {ex.Message}", Allowed: true));
            throw;
        }

        Record(context.ToolCallId, new AgentToolCall(tool, arguments, ResultText(context.Result), Allowed: true));
    }

    /// <summary>Every tool call in <paramref name="history"/>, in the order the model made them.</summary>
    public IReadOnlyList<AgentToolCall> CallsIn(ChatHistory history)
    {
        lock (_gate)
        {
            var results = history.SelectMany(m => m.Items.OfType<FunctionResultContent>())
                .Where(r => r.CallId is not null)
                .GroupBy(r => r.CallId!)
                .ToDictionary(g => g.Key, g => g.First());
            var calls = new List<AgentToolCall>();
            foreach (var call in history.SelectMany(m => m.Items.OfType<FunctionCallContent>()))
            {
                if (call.Id is not null && _byCallId.TryGetValue(call.Id, out var recorded))
                {
                    calls.Add(recorded);
                }
                else
                {
                    var answer = call.Id is not null && results.TryGetValue(call.Id, out var r) ? ResultText(r.Result) : "";
                    calls.Add(new AgentToolCall(AgentTools.NameOf(call.PluginName, call.FunctionName),
                        Serialize(call.Arguments), answer, Allowed: false));
                }
            }

            calls.AddRange(_withoutId);
            return calls;
        }
    }

    private void Record(string? callId, AgentToolCall call)
    {
        lock (_gate)
        {
            if (callId is null)
            {
                _withoutId.Add(call);
            }
            else
            {
                _byCallId[callId] = call;
            }
        }
    }

    private static string Serialize(KernelArguments? arguments) =>
        arguments is null ? "{}" : JsonSerializer.Serialize(arguments.ToDictionary(a => a.Key, a => a.Value), JsonSerializerOptions.Web);

    private static string ResultText(FunctionResult? result) => ResultText(result?.GetValue<object>());

    private static string ResultText(object? value) => value switch
    {
        null => "",
        string text => text,
        FunctionResult result => ResultText(result),
        _ => JsonSerializer.Serialize(value, JsonSerializerOptions.Web),
    };
}
