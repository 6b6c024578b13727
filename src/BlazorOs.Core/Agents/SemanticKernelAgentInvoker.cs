using System.ClientModel;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI.Chat;
using ChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;

namespace BlazorOs.Core.Agents;

/// <summary>Time and size limits of agent calls; tests shorten them.</summary>
/// <param name="ModelTimeout">One model round trip; a step's own <c>timeoutMs</c> cancels sooner.</param>
/// <param name="MaxToolRounds">Model requests that may call tools; the next one must answer.</param>
internal sealed record AgentLimits(TimeSpan ModelTimeout, TimeSpan ToolTimeout, int ToolMaxBytes, int MaxToolRounds)
{
    public static readonly AgentLimits Default = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(20), 64 * 1024, 8);
}

/// <summary>
/// <see cref="IAgentInvoker"/> over Semantic Kernel's OpenAI connector, for any OpenAI-compatible endpoint.
/// Per call: a fresh <see cref="Kernel"/> holding only the tools the step allows, a chat history of system and
/// user message (SK's <c>AsChatClient()</c> bridge dropped the system prompt in our spike), automatic function
/// calling with a round cap, a filter that checks and records every tool call, token usage summed over all
/// round trips, and cost from <see cref="ModelPriceTable"/>. Failures become <see cref="AgentException"/>s
/// that say whether trying again can help.
/// </summary>
internal sealed partial class SemanticKernelAgentInvoker : IAgentInvoker, IDisposable
{
    private readonly ModelEndpoint _endpoint;
    private readonly MemorySearch _memory;
    private readonly ModelPriceTable _prices;
    private readonly ILogger<SemanticKernelAgentInvoker> _logger;
    private readonly AgentLimits _limits;
    private readonly HttpClient _modelHttp;
    private readonly HttpClient _toolHttp;

    public SemanticKernelAgentInvoker(ModelEndpoint endpoint, MemorySearch memory, ModelPriceTable prices,
        ILogger<SemanticKernelAgentInvoker> logger)
        : this(endpoint, memory, prices, logger, AgentLimits.Default)
    {
    }

    internal SemanticKernelAgentInvoker(ModelEndpoint endpoint, MemorySearch memory, ModelPriceTable prices,
        ILogger<SemanticKernelAgentInvoker> logger, AgentLimits limits)
    {
        _endpoint = endpoint;
        _memory = memory;
        _prices = prices;
        _logger = logger;
        _limits = limits;
        // Long-lived clients with pooled connections that still notice DNS changes. With a client of ours, SK
        // also turns off the OpenAI SDK's own retries: retrying is the step's failure policy's job.
        _modelHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false })
        {
            Timeout = limits.ModelTimeout,
        };
        // Redirects are followed by the tool itself, so that each hop's host is checked; no cookie jar, so one
        // run's cookies never ride along on another run's fetch. The tool applies its own time limit.
        _toolHttp = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _toolHttp.DefaultRequestHeaders.UserAgent.ParseAdd("BlazorOs-agent/1.0");
    }

    public bool IsAvailable => _endpoint.IsConfigured;

    public Task<AgentReply> InvokeAsync(AgentRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, onText: null, cancellationToken);

    public Task<AgentReply> InvokeStreamingAsync(AgentRequest request, Action<string> onText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onText);
        return RunAsync(request, onText, cancellationToken);
    }

    private async Task<AgentReply> RunAsync(AgentRequest request, Action<string>? onText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsAvailable)
        {
            throw new AgentException("no model configured: set BLAZOROS_LLM_ENDPOINT and BLAZOROS_LLM_MODEL", retryable: false);
        }

        var model = _endpoint.ModelFor(request.Tier)!;
        var recorder = new ToolCallRecorder(request.AllowedHosts, _limits.MaxToolRounds);
        var kernel = BuildKernel(request, recorder);
        var history = NewHistory(request);
        var settings = new OpenAIPromptExecutionSettings
        {
            // No tools allowed: no tools described, so the request carries none.
            FunctionChoiceBehavior = kernel.Plugins.Count > 0 ? FunctionChoiceBehavior.Auto() : null,
            ResponseFormat = request.OutputSchema is null ? null : "json_object",
        };
#pragma warning disable SKEXP0010 // The endpoint overload is SK's way to reach any OpenAI-compatible server (Ollama, vLLM, LM Studio); experimental since 1.x, still there in 1.82.
        var chat = new OpenAIChatCompletionService(model, _endpoint.Endpoint!, _endpoint.ApiKey, httpClient: _modelHttp);
#pragma warning restore SKEXP0010

        var meter = new TokenMeter();
        string text;
        try
        {
            text = onText is null
                ? await CompleteAsync(chat, history, settings, kernel, meter, cancellationToken)
                : await StreamAsync(chat, history, settings, kernel, onText, meter, cancellationToken);
        }
        catch (ListenerFailedException ex)
        {
            // The caller's own callback failed: that is not the model's doing, so it surfaces as it was thrown.
            ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is not AgentException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var failure = Translate(ex, await UsageAsync(model, meter, cancellationToken));
            LogCallFailed(_logger, request.RunId, request.NodeId, model, failure.Message);
            throw failure;
        }

        var usage = await UsageAsync(model, meter, cancellationToken);
        if (recorder.StoppedLooping || string.IsNullOrWhiteSpace(text))
        {
            throw new AgentException(recorder.StoppedLooping
                ? $"the model {model} still asked for tools after {_limits.MaxToolRounds} rounds instead of answering"
                : $"the model {model} at {_endpoint.Endpoint} returned an empty answer", retryable: true) { Usage = usage };
        }

        JsonNode? structured = null;
        if (request.OutputSchema is not null)
        {
            // Retryable: models often get it right on a second try.
            structured = StructuredOutput.TryParse(text, request.OutputSchema, out var problem)
                ?? throw new AgentException($"the model did not answer with JSON matching the output schema: {problem}", retryable: true)
                {
                    Usage = usage,
                };
        }

        var reply = new AgentReply(text, structured, model, usage.TokensIn, usage.TokensOut, usage.CostMicros, recorder.CallsIn(history))
        {
            Currency = usage.Currency,
        };
        LogCallDone(_logger, request.RunId, request.NodeId, model, reply.TokensIn, reply.TokensOut, reply.ToolCalls.Count);
        return reply;
    }

    private async Task<AgentUsage> UsageAsync(string model, TokenMeter meter, CancellationToken cancellationToken)
    {
        var price = await _prices.FindAsync(model, cancellationToken);
        return new AgentUsage(model, meter.In, meter.Out, price?.CostMicros(meter.In, meter.Out) ?? 0, price?.Currency);
    }

    private Kernel BuildKernel(AgentRequest request, ToolCallRecorder recorder)
    {
        var plugins = new KernelPluginCollection();
        foreach (var tool in request.Tools.Distinct(StringComparer.Ordinal))
        {
            switch (tool)
            {
                case AgentTools.MemorySearch:
                    plugins.AddFromObject(new MemorySearchTool(_memory, request.MemoryReadable, request.WorkingNotes), MemorySearchTool.PluginName);
                    break;
                case AgentTools.HttpGet:
                    plugins.AddFromObject(new HttpGetTool(_toolHttp, request.AllowedHosts, _limits.ToolTimeout, _limits.ToolMaxBytes),
                        HttpGetTool.PluginName);
                    break;
                default:
                    throw new AgentException(
                        $"unknown tool '{tool}' in step '{request.NodeId}'; the tools are {string.Join(", ", AgentTools.All)}",
                        retryable: false);
            }
        }

        var kernel = new Kernel(services: null, plugins);
        kernel.AutoFunctionInvocationFilters.Add(recorder);
        return kernel;
    }

    private static ChatHistory NewHistory(AgentRequest request)
    {
        var system = string.Join("\n\n", new[]
        {
            request.System,
            request.OutputSchema is null ? null : StructuredOutput.Instructions(request.OutputSchema),
        }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var history = new ChatHistory();
        if (system.Length > 0)
        {
            history.AddSystemMessage(system);
        }

        history.AddUserMessage(request.Prompt);
        return history;
    }

    /// <returns>The answer's text; empty when the recorder stopped a tool loop (SK then returns the last tool result).</returns>
    private static async Task<string> CompleteAsync(OpenAIChatCompletionService chat, ChatHistory history,
        OpenAIPromptExecutionSettings settings, Kernel kernel, TokenMeter meter, CancellationToken cancellationToken)
    {
        var start = history.Count;
        ChatMessageContent? final = null;
        try
        {
            final = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken);
            return final.Role == AuthorRole.Assistant ? final.Content ?? "" : "";
        }
        finally
        {
            // SK adds each tool-calling reply to the history, each with the usage of its round trip; the final
            // reply is not added. Counted on failure too: the rounds before it were paid for.
            foreach (var reply in history.Skip(start).Append(final).OfType<ChatMessageContent>().Where(m => m.Role == AuthorRole.Assistant).Distinct())
            {
                meter.Add(UsageOf(reply.Metadata));
            }
        }
    }

    private static async Task<string> StreamAsync(OpenAIChatCompletionService chat, ChatHistory history,
        OpenAIPromptExecutionSettings settings, Kernel kernel, Action<string> onText, TokenMeter meter, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var seenHistory = history.Count;
        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, cancellationToken))
        {
            if (history.Count != seenHistory)
            {
                // A tool round finished and SK sent the results back: what came before was not the answer.
                seenHistory = history.Count;
                text.Clear();
            }

            if (!string.IsNullOrEmpty(update.Content))
            {
                text.Append(update.Content);
                try
                {
                    onText(update.Content);
                }
                catch (Exception ex)
                {
                    throw new ListenerFailedException(ex);
                }
            }

            // The OpenAI SDK asks for usage (stream_options.include_usage); it comes in a last chunk per round.
            meter.Add(UsageOf(update.Metadata));
        }

        return text.ToString();
    }

    private static ChatTokenUsage? UsageOf(IReadOnlyDictionary<string, object?>? metadata) =>
        metadata?.TryGetValue("Usage", out var usage) == true ? usage as ChatTokenUsage : null;

    /// <summary>
    /// What went wrong in the round trips, for the operator; null for the caller's own cancellation, which
    /// propagates unchanged. Tool failures never get here: SK hands them to the model as error results.
    /// </summary>
    private AgentException Translate(Exception ex, AgentUsage usage)
    {
        var endpoint = _endpoint.Endpoint;
        AgentException Failure(string message, bool retryable) => new(message, retryable, ex) { Usage = usage };
        return ex switch
        {
            OperationCanceledException or TimeoutException =>
                Failure($"the model endpoint {endpoint} did not answer within {Describe(_limits.ModelTimeout)}", retryable: true),
            HttpOperationException { StatusCode: { } status } http =>
                Failure($"the model endpoint {endpoint} answered {(int)status} {status}{Detail(http.ResponseContent)}{Hint(status)}",
                    retryable: !IsPermanent(status)),
            HttpOperationException or HttpRequestException or ClientResultException =>
                Failure($"could not reach the model endpoint {endpoint}: {Innermost(ex).Message}", retryable: true),
            // A 200 whose body is not a chat completion: the OpenAI SDK reads it lazily and fails with whatever the
            // missing part causes (JsonException, InvalidOperationException, ArgumentOutOfRangeException, even
            // NullReferenceException), so the type says nothing. A second try may meet a healthier server.
            _ => Failure($"the model endpoint {endpoint} answered with something that is not an OpenAI chat completion ({ex.GetType().Name}: {ex.Message})",
                retryable: true),
        };
    }

    private static string Describe(TimeSpan span) =>
        span < TimeSpan.FromSeconds(1) ? $"{span.TotalMilliseconds:0} ms" : $"{span.TotalSeconds:0.#} s";

    /// <summary>A bad key, a missing model, a malformed request: the same call will fail the same way.</summary>
    private static bool IsPermanent(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity;

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check BLAZOROS_LLM_KEY)",
        HttpStatusCode.NotFound => " (check the endpoint's base URL and the model name)",
        _ => "",
    };

    /// <summary>The error message of an OpenAI-style error body, else the start of the body.</summary>
    private static string Detail(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        try
        {
            if (JsonNode.Parse(body) is JsonObject { } error && (error["error"]?["message"] ?? error["error"] ?? error["message"]) is JsonValue message
                && message.TryGetValue<string>(out var text))
            {
                return $": {text}";
            }
        }
        catch (JsonException)
        {
            // Not JSON: show the body as it is.
        }

        var trimmed = body.Trim();
        return $": {(trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed)}";
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent call for run {RunId} step {NodeId} on {Model}: {TokensIn} tokens in, {TokensOut} out, {ToolCalls} tool calls")]
    private static partial void LogCallDone(ILogger logger, Guid runId, string nodeId, string model, long tokensIn, long tokensOut, int toolCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent call for run {RunId} step {NodeId} on {Model} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, Guid runId, string nodeId, string model, string reason);

    public void Dispose()
    {
        _modelHttp.Dispose();
        _toolHttp.Dispose();
    }

    private sealed class ListenerFailedException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>Tokens of every round trip of one call, successful or not.</summary>
    private sealed class TokenMeter
    {
        public long In { get; private set; }
        public long Out { get; private set; }

        public void Add(ChatTokenUsage? usage)
        {
            In += usage?.InputTokenCount ?? 0;
            Out += usage?.OutputTokenCount ?? 0;
        }
    }
}
