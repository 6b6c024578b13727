using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BlazorOs.Core.Tests.Activities;

namespace BlazorOs.E2E.Runs;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 (<c>POST /v1/chat/completions</c>, non-streaming) that answers with the
/// texts a test queued, each held until the test releases it, so the test can watch a step run. Other requests (the HTTP
/// steps of a playbook) get <c>200 {"ok":true}</c>. An unscripted chat request gets a 500, so extra calls fail loudly.
/// </summary>
public sealed class ScriptedModel : IAsyncDisposable
{
    public const string Name = "e2e-model";

    private readonly LoopbackServer _server = LoopbackServer.Start();
    private readonly ConcurrentQueue<(string Text, Task Release)> _answers = new();

    public ScriptedModel() => _server.Respond = Answer;

    public Uri BaseAddress => _server.BaseAddress;

    public int ChatRequests => _server.Requests.Count(r => r.Path.StartsWith("/v1/chat/completions", StringComparison.Ordinal));

    /// <summary>Queues the next answer; it is sent once <paramref name="release"/> completes (at once without one).</summary>
    public void Enqueue(string text, Task? release = null) => _answers.Enqueue((text, release ?? Task.CompletedTask));

    private CannedResponse Answer(ReceivedRequest request)
    {
        if (!request.Path.StartsWith("/v1/chat/completions", StringComparison.Ordinal))
        {
            return new CannedResponse(200, """{"ok":true}""");
        }

        if (!_answers.TryDequeue(out var answer))
        {
            return new CannedResponse(500, """{"error":{"message":"no scripted reply"}}""");
        }

        var completion = new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = Name,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 42, ["completion_tokens"] = 17, ["total_tokens"] = 59 },
        };
        return new CannedResponse(200, completion.ToJsonString(), After: answer.Release);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
