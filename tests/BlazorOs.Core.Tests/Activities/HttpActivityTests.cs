using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>
/// The http kind against a real server on 127.0.0.1. Invariant: a call is sent with the step's idempotency key, and
/// once the ledger records it as completed it is never sent again for that step, whatever retries or recovery do.
/// </summary>
public sealed class HttpActivityTests : IAsyncLifetime
{
    private readonly LoopbackServer _server = LoopbackServer.Start();
    private readonly InMemoryEffectLedger _ledger = new();
    private ActivityHarness _harness = null!;

    public ValueTask InitializeAsync()
    {
        _harness = ActivityHarness.Create(s => s.AddSingleton<IEffectLedger>(_ledger));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
    }

    private JsonObject Post(string path = "mail") => new()
    {
        ["method"] = "POST",
        ["url"] = $"{_server.BaseAddress}{path}?to={{{{ inputs.lead_email }}}}",
        ["headers"] = new JsonObject { ["X-Client"] = "{{ inputs.client }}" },
        ["body"] = """{"to": {{ inputs.lead_email | json }}, "text": {{ steps.draft.output | json }}}""",
    };

    private static RunScope Scope() => ActivityHarness.Scope(
        new JsonObject { ["lead_email"] = "ada@example.com", ["client"] = "ACME" },
        new Dictionary<string, JsonNode?> { ["draft"] = "Hello \"Ada\" {{ not a template }}" });

    [Fact]
    public async Task A_post_sends_the_rendered_request_with_the_idempotency_key_and_returns_the_response()
    {
        _server.Respond = _ => new CannedResponse(201, """{"id":"msg-1"}""");

        var result = await _harness.RunAsync("http", Post(), Scope(), nodeId: "send");

        var completed = Assert.IsType<ActivityResult.Completed>(result);
        Assert.Equal("next", completed.Port);
        Assert.Equal(201, completed.Output!["status"]!.GetValue<int>());
        Assert.Equal("msg-1", completed.Output!["body"]!["id"]!.GetValue<string>());
        Assert.StartsWith("application/json", completed.Output!["headers"]!["content-type"]!.GetValue<string>(), StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        var key = _harness.Context([], nodeId: "send").IdempotencyKey;
        Assert.Equal(("POST", "/mail?to=ada@example.com"), (request.Method, request.Path));
        Assert.Equal(key, request.Headers["Idempotency-Key"]);
        Assert.Equal("ACME", request.Headers["X-Client"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"to":"ada@example.com","text":"Hello \"Ada\" {{ not a template }}"}"""),
            JsonNode.Parse(request.Body)));
        Assert.Equal(EffectState.Completed, _ledger.Records[key].State);
        Assert.Equal(["http.request", "http.response"], _harness.Trace.Kinds);
    }

    [Fact]
    public async Task A_completed_call_is_answered_from_the_ledger_and_not_sent_again()
    {
        _server.Respond = _ => new CannedResponse(200, """{"sent":true}""");
        var first = Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", Post(), Scope(), nodeId: "send"));

        var replay = Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", Post(), Scope(), nodeId: "send"));

        Assert.Single(_server.Requests);
        Assert.True(JsonNode.DeepEquals(first.Output, replay.Output));
        Assert.Contains("http.replayed", _harness.Trace.Kinds);
    }

    [Fact]
    public async Task A_call_started_but_not_completed_is_sent_again_with_the_same_key()
    {
        var key = _harness.Context([], nodeId: "send").IdempotencyKey;
        await _ledger.BeginAsync(key, "POST mail", TestContext.Current.CancellationToken);

        Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", Post(), Scope(), nodeId: "send"));

        Assert.Equal(key, Assert.Single(_server.Requests).Headers["Idempotency-Key"]);
        Assert.Contains("http.resent", _harness.Trace.Kinds);
    }

    [Theory]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public async Task Client_errors_are_final_and_server_errors_are_retryable(int status, bool retryable)
    {
        _server.Respond = _ => new CannedResponse(status, """{"error":"nope"}""");

        var failed = Assert.IsType<ActivityResult.Failed>(await _harness.RunAsync("http", Post(), Scope()));

        Assert.Equal(retryable, failed.Retryable);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Error, StringComparison.Ordinal);
        Assert.NotEqual(EffectState.Completed, _ledger.Records.Values.Single().State);
    }

    [Fact]
    public async Task A_failed_call_is_sent_again_when_the_step_is_retried()
    {
        var calls = 0;
        _server.Respond = _ => Interlocked.Increment(ref calls) == 1 ? new CannedResponse(503) : new CannedResponse(200, """{"ok":1}""");

        Assert.IsType<ActivityResult.Failed>(await _harness.RunAsync("http", Post(), Scope()));
        Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", Post(), Scope()));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(_server.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task A_refused_connection_is_a_retryable_failure()
    {
        var settings = new JsonObject { ["url"] = $"http://127.0.0.1:{LoopbackServer.FreePort()}/" };

        var failed = Assert.IsType<ActivityResult.Failed>(await _harness.RunAsync("http", settings));

        Assert.True(failed.Retryable);
        Assert.Contains("http.error", _harness.Trace.Kinds);
    }

    [Fact]
    public async Task Text_responses_stay_text_and_large_ones_are_cut_at_256_KiB()
    {
        _server.Respond = request => request.Path == "/small"
            ? new CannedResponse(200, "plain words", "text/plain")
            : new CannedResponse(200, "[" + new string('1', 300 * 1024) + "]");

        var small = Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", new JsonObject { ["url"] = $"{_server.BaseAddress}small" }, activation: Guid.NewGuid()));
        var large = Assert.IsType<ActivityResult.Completed>(await _harness.RunAsync("http", new JsonObject { ["url"] = $"{_server.BaseAddress}large" }, activation: Guid.NewGuid()));

        Assert.Equal("plain words", small.Output!["body"]!.GetValue<string>());
        Assert.Equal(256 * 1024, large.Output!["body"]!.GetValue<string>().Length);
        Assert.True(large.Output!["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_url_that_renders_to_something_else_than_http_fails_without_sending()
    {
        var settings = new JsonObject { ["url"] = "{{ inputs.target }}" };

        var failed = Assert.IsType<ActivityResult.Failed>(await _harness.RunAsync("http", settings,
            ActivityHarness.Scope(new JsonObject { ["target"] = "file:///etc/passwd" })));

        Assert.False(failed.Retryable);
        Assert.Empty(_server.Requests);
        Assert.Empty(_ledger.Records);
    }

    [Fact]
    public async Task A_header_that_renders_with_a_line_break_fails_without_sending()
    {
        var settings = new JsonObject { ["url"] = $"{_server.BaseAddress}x", ["headers"] = new JsonObject { ["X-Note"] = "{{ inputs.note }}" } };

        var failed = Assert.IsType<ActivityResult.Failed>(await _harness.RunAsync("http", settings,
            ActivityHarness.Scope(new JsonObject { ["note"] = "a\r\nX-Injected: 1" })));

        Assert.False(failed.Retryable);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("""{ "url": "https://api.example.com/x" }""", "")]
    [InlineData("""{ "method": "POST", "url": "https://{{ inputs.host }}/x", "headers": { "Authorization": "Bearer {{ vars.token }}" }, "body": "{}" }""", "")]
    [InlineData("""{ }""", "url")]
    [InlineData("""{ "url": "/relative" }""", "url")]
    [InlineData("""{ "url": "ftp://example.com/file" }""", "url")]
    [InlineData("""{ "url": "https://x.com/{{ oops " }""", "url")]
    [InlineData("""{ "url": "https://x.com", "method": "TRACE" }""", "method")]
    [InlineData("""{ "url": "https://x.com", "headers": { "Bad Header": "x" } }""", "headers")]
    [InlineData("""{ "url": "https://x.com", "headers": { "X": { "nested": 1 } } }""", "headers")]
    [InlineData("""{ "url": "https://x.com", "headers": ["X"] }""", "headers")]
    [InlineData("""{ "url": "https://x.com", "body": "hello" }""", "body")]
    [InlineData("""{ "url": "https://x.com", "method": "POST", "body": "{% endif %}" }""", "body")]
    [InlineData("""{ "url": "https://x.com", "timeout": 5 }""", "timeout")]
    public async Task Http_settings_are_validated(string settings, string problemFields)
    {
        var problems = _harness.Activity("http").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }
}
