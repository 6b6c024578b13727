using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Tests.Support;

/// <summary>
/// A small OpenAI-compatible server on 127.0.0.1 (Kestrel, a free port) so agent tests run the real Semantic
/// Kernel connector over real HTTP. <c>POST /v1/chat/completions</c> answers from a per-test script, as JSON or,
/// when the request says <c>stream: true</c>, as server-sent event chunks the way OpenAI streams them; it records
/// every request body so tests can assert what SK sent. Any other GET serves the pages a test put up with
/// <see cref="Page"/> (targets for the <c>http.get</c> tool). An empty script answers 500 "no scripted reply", so a
/// test that makes more model calls than it expects fails loudly. <c>POST /v1/embeddings</c> answers in OpenAI's wire
/// format (floats, or base64 when asked, as the OpenAI SDK asks) with a bag-of-concepts embedding the test declares
/// (<see cref="EmbeddingConcepts"/>), or with <see cref="EmbeddingFailure"/> while that is set. Disposing stops the server.
/// </summary>
internal sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<ScriptedReply> _script = new();
    private readonly List<ChatRequest> _requests = [];
    private readonly List<string> _pageHits = [];
    private readonly Dictionary<string, (int Status, string Body, string ContentType)> _pages = [];
    private readonly Lock _gate = new();
    private int _completionIds;
    private int _embeddingRequests;

    private OpenAiCompatibleServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary><c>http://127.0.0.1:port/</c></summary>
    public Uri Root { get; }

    /// <summary>What <c>BLAZOROS_LLM_ENDPOINT</c> would be: <c>http://127.0.0.1:port/v1</c>.</summary>
    public Uri BaseUrl => new(Root, "v1");

    /// <summary>When set, chat requests without <c>Authorization: Bearer {key}</c> get 401, as OpenAI answers a bad key.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>
    /// The embedding's dimensions: one per concept, a list of words that mean the same (<c>["invoice", "bill"]</c>). A text's
    /// vector counts its words per concept, plus a small constant last dimension so no vector is zero; texts that share no
    /// concept are nearly orthogonal (cosine below 0.01).
    /// </summary>
    public IReadOnlyList<string[]> EmbeddingConcepts { get; set; } = [];

    /// <summary>While set, every embeddings request gets this answer (a status, or a raw 200 body).</summary>
    public ScriptedReply? EmbeddingFailure { get; set; }

    /// <summary>
    /// Texts containing this are refused as OpenAI refuses an input it cannot take (a 400 for the whole request, e.g. too
    /// many tokens): the request fails, not the service.
    /// </summary>
    public string? EmbeddingRefuses { get; set; }

    /// <summary>While set, every embedding has this many dimensions (padded with zeros or cut): a model that changed shape.</summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Embeddings requests so far, and the texts they asked for.</summary>
    public int EmbeddingRequests => Volatile.Read(ref _embeddingRequests);

    public IReadOnlyList<ChatRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Paths of the pages requested so far, in order.</summary>
    public IReadOnlyList<string> PageHits
    {
        get
        {
            lock (_gate)
            {
                return [.. _pageHits];
            }
        }
    }

    public static async Task<OpenAiCompatibleServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OpenAiCompatibleServer? server = null;
        app.MapPost("/v1/chat/completions", (HttpContext context) => server!.CompleteAsync(context));
        app.MapPost("/v1/embeddings", (HttpContext context) => server!.EmbedAsync(context));
        app.MapGet("/{**path}", (HttpContext context) => server!.ServePageAsync(context));
        await app.StartAsync();
        // After start, the addresses hold the port Kestrel picked for :0.
        var address = app.Urls.Single();
        server = new OpenAiCompatibleServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>A loopback URL nothing listens on: the port was free a moment ago and is closed again.</summary>
    public static Uri ClosedPortUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }

    public void Enqueue(params ScriptedReply[] replies)
    {
        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _script.Enqueue(reply);
            }
        }
    }

    public void Page(string path, string body, string contentType = "text/plain; charset=utf-8", int status = 200)
    {
        lock (_gate)
        {
            _pages["/" + path.TrimStart('/')] = (status, body, contentType);
        }
    }

    public Uri UrlOf(string path) => new(Root, path.TrimStart('/'));

    private async Task CompleteAsync(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted))!.AsObject();
        ScriptedReply? reply;
        lock (_gate)
        {
            _requests.Add(new ChatRequest(body, context.Request.Headers.Authorization.ToString()));
            reply = _script.TryDequeue(out var next) ? next : null;
        }

        if (RequiredApiKey is { } key && context.Request.Headers.Authorization != $"Bearer {key}")
        {
            await WriteAsync(context, 401, """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""");
            return;
        }

        reply ??= ScriptedReply.Status(500, """{"error":{"message":"no scripted reply"}}""");
        while (reply is DelayedReply delayed)
        {
            try
            {
                await Task.Delay(delayed.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up; nobody reads the answer.
            }

            reply = delayed.Then;
        }

        var model = body["model"]?.GetValue<string>() ?? "unknown";
        var id = $"chatcmpl-{Interlocked.Increment(ref _completionIds)}";
        switch (reply)
        {
            case StatusReply status:
                await WriteAsync(context, status.StatusCode, status.Body);
                break;
            case RawReply raw:
                await WriteAsync(context, 200, raw.Body);
                break;
            case AnswerReply answer when body["stream"]?.GetValue<bool>() == true:
                await StreamAsync(context, answer, id, model, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
                break;
            case AnswerReply answer:
                await WriteAsync(context, 200, Completion(answer, id, model).ToJsonString());
                break;
            default:
                throw new InvalidOperationException($"Unknown scripted reply {reply}");
        }
    }

    private async Task EmbedAsync(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted))!.AsObject();
        Interlocked.Increment(ref _embeddingRequests);
        switch (EmbeddingFailure)
        {
            case StatusReply status:
                await WriteAsync(context, status.StatusCode, status.Body);
                return;
            case RawReply raw:
                await WriteAsync(context, 200, raw.Body);
                return;
        }

        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(i => i!.GetValue<string>()).ToList(),
            var single => [single!.GetValue<string>()],
        };
        if (EmbeddingRefuses is { } refused && inputs.Any(t => t.Contains(refused, StringComparison.Ordinal)))
        {
            await WriteAsync(context, 400, """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error"}}""");
            return;
        }

        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Embed(inputs[i]);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64
                    ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()))
                    : new JsonArray([.. vector.Select(v => (JsonNode)v)]),
            });
        }

        var tokens = inputs.Sum(t => t.Split(' ').Length);
        await WriteAsync(context, 200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.GetValue<string>() ?? "unknown",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString());
    }

    private float[] Embed(string text)
    {
        var concepts = EmbeddingConcepts;
        var vector = new float[EmbeddingDimensions ?? concepts.Count + 1];
        var words = System.Text.RegularExpressions.Regex.Matches(text.ToLowerInvariant(), @"[\p{L}\p{N}]+").Select(m => m.Value);
        foreach (var word in words)
        {
            for (var c = 0; c < concepts.Count && c < vector.Length; c++)
            {
                if (concepts[c].Contains(word, StringComparer.Ordinal))
                {
                    vector[c] += 1;
                }
            }
        }

        if (concepts.Count < vector.Length)
        {
            vector[concepts.Count] = 0.01f;
        }

        return vector;
    }

    private static JsonObject Completion(AnswerReply answer, string id, string model)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Content };
        if (answer.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select((call, i) => (JsonNode)new JsonObject
            {
                ["id"] = call.Id ?? $"call_{id}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            })]);
        }

        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = answer.ToolCalls.Count > 0 ? "tool_calls" : "stop",
            }),
            ["usage"] = Usage(answer),
        };
    }

    /// <summary>Text in pieces of <see cref="AnswerReply.ChunkSize"/> characters, tool calls name first then arguments in two halves.</summary>
    private static async Task StreamAsync(HttpContext context, AnswerReply answer, string id, string model, bool includeUsage)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonObject delta, string? finishReason) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_767_225_600,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
        };

        async Task SendAsync(JsonNode data)
        {
            await context.Response.WriteAsync($"data: {data.ToJsonString()}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await SendAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        var content = answer.Content ?? "";
        for (var i = 0; i < content.Length; i += answer.ChunkSize)
        {
            await SendAsync(Chunk(new JsonObject { ["content"] = content.Substring(i, Math.Min(answer.ChunkSize, content.Length - i)) }, null));
        }

        for (var i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            var half = call.Arguments.Length / 2;
            await SendAsync(Chunk(ToolCallDelta(i, call.Id ?? $"call_{id}_{i}", call.Name, call.Arguments[..half]), null));
            await SendAsync(Chunk(ToolCallDelta(i, null, null, call.Arguments[half..]), null));
        }

        await SendAsync(Chunk([], answer.ToolCalls.Count > 0 ? "tool_calls" : "stop"));
        if (includeUsage)
        {
            await SendAsync(new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_767_225_600,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(answer),
            });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private static JsonObject ToolCallDelta(int index, string? id, string? name, string arguments)
    {
        var function = new JsonObject { ["arguments"] = arguments };
        var call = new JsonObject { ["index"] = index, ["function"] = function };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
            function["name"] = name;
        }

        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    private static JsonObject Usage(AnswerReply answer) => new()
    {
        ["prompt_tokens"] = answer.PromptTokens,
        ["completion_tokens"] = answer.CompletionTokens,
        ["total_tokens"] = answer.PromptTokens + answer.CompletionTokens,
    };

    private async Task ServePageAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        (int Status, string Body, string ContentType) page;
        lock (_gate)
        {
            _pageHits.Add(path);
            page = _pages.TryGetValue(path, out var found) ? found : (404, "no such page", "text/plain");
        }

        if (page.Status is >= 300 and < 400)
        {
            context.Response.Headers.Location = page.Body;
            context.Response.StatusCode = page.Status;
            return;
        }

        context.Response.StatusCode = page.Status;
        context.Response.ContentType = page.ContentType;
        await context.Response.WriteAsync(page.Body, context.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, Encoding.UTF8, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request SK sent, with accessors for what tests check.</summary>
internal sealed record ChatRequest(JsonObject Body, string Authorization)
{
    public string? Model => Body["model"]?.GetValue<string>();
    public bool Stream => Body["stream"]?.GetValue<bool>() == true;
    public JsonArray Messages => Body["messages"]!.AsArray();

    public IReadOnlyList<string> Roles => [.. Messages.Select(m => m!["role"]!.GetValue<string>())];

    public string? SystemPrompt => ContentOf(Messages.FirstOrDefault(m => m!["role"]!.GetValue<string>() == "system"));
    public string? UserPrompt => ContentOf(Messages.FirstOrDefault(m => m!["role"]!.GetValue<string>() == "user"));

    /// <summary>Function names offered in <c>tools</c>; empty when the request has none.</summary>
    public IReadOnlyList<string> OfferedTools =>
        Body["tools"] is JsonArray tools ? [.. tools.Select(t => t!["function"]!["name"]!.GetValue<string>())] : [];

    public string? ToolChoice => Body["tool_choice"]?.ToJsonString();
    public string? ResponseFormatType => Body["response_format"]?["type"]?.GetValue<string>();

    /// <summary>The <c>tool</c> messages sent back to the model: (tool_call_id, content).</summary>
    public IReadOnlyList<(string CallId, string Content)> ToolResults =>
        [.. Messages.Where(m => m!["role"]!.GetValue<string>() == "tool")
            .Select(m => (m!["tool_call_id"]!.GetValue<string>(), ContentOf(m) ?? ""))];

    /// <summary>Message content as text: a string, or the text parts of a content array.</summary>
    private static string? ContentOf(JsonNode? message) => message?["content"] switch
    {
        JsonValue text => text.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => null,
    };
}

/// <summary>What the scripted server answers to one chat request.</summary>
internal abstract record ScriptedReply
{
    public static AnswerReply Text(string content, int promptTokens = 10, int completionTokens = 5) =>
        new(content, [], promptTokens, completionTokens);

    public static AnswerReply ToolCall(string name, string arguments, int promptTokens = 10, int completionTokens = 5, string? id = null) =>
        new(null, [new ScriptedToolCall(name, arguments, id)], promptTokens, completionTokens);

    public static StatusReply Status(int statusCode, string body = """{"error":{"message":"scripted failure"}}""") => new(statusCode, body);

    /// <summary>A 200 whose body is whatever the test says (e.g. not a chat completion).</summary>
    public static RawReply Raw(string body) => new(body);

    public DelayedReply After(TimeSpan delay) => new(delay, this);
}

internal sealed record ScriptedToolCall(string Name, string Arguments, string? Id = null);

/// <summary>An assistant message: text, tool calls, or both, with its token usage.</summary>
internal sealed record AnswerReply(string? Content, IReadOnlyList<ScriptedToolCall> ToolCalls, int PromptTokens, int CompletionTokens)
    : ScriptedReply
{
    public int ChunkSize { get; init; } = 4;
}

internal sealed record StatusReply(int StatusCode, string Body) : ScriptedReply;

internal sealed record RawReply(string Body) : ScriptedReply;

internal sealed record DelayedReply(TimeSpan Delay, ScriptedReply Then) : ScriptedReply;
