using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// Tools are offered only from the step's allow-list, checked again when the model calls them, run by SK's
/// automatic function calling, and every call — allowed or refused — is in the reply for the trace.
/// </summary>
public sealed class AgentToolTests
{
    [Fact]
    public async Task Memory_search_finds_a_stored_fact_and_the_result_goes_back_to_the_model()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.AddFactAsync("ACME", "payment-terms-days", FactValue.OfNumber(45));
        await bed.AddFactAsync("Globex", "payment-terms-days", FactValue.OfNumber(30));
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"ACME"}""", promptTokens: 100, completionTokens: 20, id: "call_1"),
            ScriptedReply.Text("ACME pays in 45 days.", promptTokens: 180, completionTokens: 12));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("How long does ACME take to pay?", tools: [AgentTools.MemorySearch]));

        Assert.Equal("ACME pays in 45 days.", reply.Text);
        // Usage of both round trips.
        Assert.Equal((280L, 32L), (reply.TokensIn, reply.TokensOut));
        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal((AgentTools.MemorySearch, true), (call.Tool, call.Allowed));
        Assert.Equal("ACME", JsonNode.Parse(call.Arguments)!["query"]!.GetValue<string>());
        var hits = JsonNode.Parse(call.Result)!.AsArray();
        var hit = Assert.Single(hits);
        Assert.Equal(("ACME", "payment-terms-days", "45"),
            (hit!["subject"]!.GetValue<string>(), hit["predicate"]!.GetValue<string>(), hit["value"]!.GetValue<string>()));

        Assert.Equal(2, bed.Server.Requests.Count);
        Assert.Equal(["memory-search"], bed.Server.Requests[0].OfferedTools);
        var second = bed.Server.Requests[1];
        Assert.Equal(["user", "assistant", "tool"], second.Roles);
        var (callId, content) = Assert.Single(second.ToolResults);
        Assert.Equal(("call_1", call.Result), (callId, content));
    }

    [Fact]
    public async Task Http_get_to_an_allowed_loopback_host_returns_the_page()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Page("/docs/terms", "Payment terms: net 30.");
        var url = bed.Server.UrlOf("/docs/terms");
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = url.ToString() }.ToJsonString()),
            ScriptedReply.Text("Net 30."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read the terms.", tools: [AgentTools.HttpGet], hosts: ["127.0.0.1"]));

        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal((AgentTools.HttpGet, "Payment terms: net 30.", true), (call.Tool, call.Result, call.Allowed));
        Assert.Equal(["/docs/terms"], bed.Server.PageHits);
        Assert.Equal("Payment terms: net 30.", Assert.Single(bed.Server.Requests[1].ToolResults).Content);
    }

    [Fact]
    public async Task Http_get_to_a_host_not_in_the_allow_list_is_refused_without_a_request()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Page("/internal/secrets", "the crown jewels");
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = bed.Server.UrlOf("/internal/secrets").ToString() }.ToJsonString()),
            ScriptedReply.Text("I could not read it."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read it.", tools: [AgentTools.HttpGet], hosts: ["docs.example.com"]));

        var call = Assert.Single(reply.ToolCalls);
        Assert.False(call.Allowed);
        Assert.StartsWith("error: host not allowed: 127.0.0.1", call.Result, StringComparison.Ordinal);
        Assert.Empty(bed.Server.PageHits);
        Assert.Contains("host not allowed", Assert.Single(bed.Server.Requests[1].ToolResults).Content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("/docs/terms")]
    [InlineData("ftp://127.0.0.1/docs/terms")]
    public async Task Http_get_takes_only_absolute_http_urls(string url)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Page("/docs/terms", "Payment terms: net 30.");
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = url }.ToJsonString()),
            ScriptedReply.Text("No luck."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read it.", tools: [AgentTools.HttpGet], hosts: ["127.0.0.1"]));

        var call = Assert.Single(reply.ToolCalls);
        Assert.False(call.Allowed);
        Assert.Contains("not an absolute http or https URL", call.Result, StringComparison.Ordinal);
        Assert.Empty(bed.Server.PageHits);
    }

    [Fact]
    public async Task Http_get_does_not_follow_a_redirect_to_a_host_not_allowed()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Page("/moved", "http://169.254.169.254/latest/meta-data", status: 302);
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = bed.Server.UrlOf("/moved").ToString() }.ToJsonString()),
            ScriptedReply.Text("No luck."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read it.", tools: [AgentTools.HttpGet], hosts: ["127.0.0.1"]));

        var call = Assert.Single(reply.ToolCalls);
        Assert.StartsWith("error: redirected to http://169.254.169.254/latest/meta-data, not followed: error: host not allowed",
            call.Result, StringComparison.Ordinal);
        Assert.Equal(["/moved"], bed.Server.PageHits);
    }

    [Fact]
    public async Task Http_get_cuts_a_large_response_at_the_cap()
    {
        await using var bed = await AgentTestBed.StartAsync(limits: AgentLimits.Default with { ToolMaxBytes = 1024 });
        bed.Server.Page("/big", new string('x', 5000));
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = bed.Server.UrlOf("/big").ToString() }.ToJsonString()),
            ScriptedReply.Text("Lots of x."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read it.", tools: [AgentTools.HttpGet], hosts: ["127.0.0.1"]));

        Assert.Equal(new string('x', 1024) + "\n[truncated: the response is larger than 1024 bytes]", Assert.Single(reply.ToolCalls).Result);
    }

    [Fact]
    public async Task Http_get_reports_an_error_status_to_the_model()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = bed.Server.UrlOf("/missing").ToString() }.ToJsonString()),
            ScriptedReply.Text("Not found."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read it.", tools: [AgentTools.HttpGet], hosts: ["127.0.0.1:" + bed.Server.Root.Port]));

        var call = Assert.Single(reply.ToolCalls);
        Assert.True(call.Allowed);
        Assert.Equal("error: HTTP 404 Not Found\nno such page", call.Result);
    }

    [Fact]
    public async Task A_tool_not_in_the_allow_list_is_not_offered_and_cannot_be_called()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Page("/docs/terms", "Payment terms: net 30.");
        // The model asks for http.get anyway, which this step does not allow.
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("http-get", new JsonObject { ["url"] = bed.Server.UrlOf("/docs/terms").ToString() }.ToJsonString()),
            ScriptedReply.Text("I cannot fetch pages."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Read the terms.", tools: [AgentTools.MemorySearch], hosts: ["127.0.0.1"]));

        Assert.Equal("I cannot fetch pages.", reply.Text);
        Assert.Equal(["memory-search"], bed.Server.Requests[0].OfferedTools);
        Assert.Empty(bed.Server.PageHits);
        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal((AgentTools.HttpGet, false), (call.Tool, call.Allowed));
        // What SK told the model is what the trace shows.
        Assert.StartsWith("Error:", call.Result, StringComparison.Ordinal);
        Assert.Equal(call.Result, Assert.Single(bed.Server.Requests[1].ToolResults).Content);
    }

    [Fact]
    public async Task Both_tools_are_offered_when_both_are_allowed()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("done"));

        await bed.InvokeAsync(AgentTestBed.Request("Hi.", tools: [AgentTools.HttpGet, AgentTools.MemorySearch], hosts: ["127.0.0.1"]));

        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal(["http-get", "memory-search"], request.OfferedTools.Order());
        Assert.Equal("\"auto\"", request.ToolChoice);
    }

    [Fact]
    public async Task An_unknown_tool_name_fails_the_step_before_any_model_call()
    {
        await using var bed = await AgentTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<AgentException>(
            () => bed.InvokeAsync(AgentTestBed.Request("Hi.", tools: ["shell.exec"])));

        Assert.False(error.Retryable);
        Assert.Contains("unknown tool 'shell.exec'", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task A_model_that_keeps_calling_tools_is_told_to_answer_and_then_stopped()
    {
        await using var bed = await AgentTestBed.StartAsync(limits: AgentLimits.Default with { MaxToolRounds = 2 });
        for (var i = 0; i < 6; i++)
        {
            bed.Server.Enqueue(ScriptedReply.ToolCall("memory-search", $$"""{"query":"round {{i}}"}"""));
        }

        var error = await Assert.ThrowsAsync<AgentException>(
            () => bed.InvokeAsync(AgentTestBed.Request("Loop.", tools: [AgentTools.MemorySearch])));

        Assert.True(error.Retryable);
        Assert.Contains("still asked for tools after 2 rounds", error.Message, StringComparison.Ordinal);
        Assert.Equal((40L, 20L), (error.Usage!.TokensIn, error.Usage.TokensOut));
        // Two rounds ran, the third got "answer now", the fourth ended the call.
        Assert.Equal(4, bed.Server.Requests.Count);
        Assert.Contains("tool call limit reached", bed.Server.Requests[3].ToolResults[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_after_a_tool_round_still_reports_the_tokens_of_that_round()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"ACME"}""", promptTokens: 100, completionTokens: 20),
            ScriptedReply.Status(502));

        var error = await Assert.ThrowsAsync<AgentException>(
            () => bed.InvokeAsync(AgentTestBed.Request("Terms?", tools: [AgentTools.MemorySearch])));

        Assert.True(error.Retryable);
        Assert.Equal(new AgentUsage(AgentTestBed.TaskModel, 100, 20, 0, null), error.Usage);
    }

    [Fact]
    public async Task A_model_that_answers_after_the_limit_warning_gets_its_answer_through()
    {
        await using var bed = await AgentTestBed.StartAsync(limits: AgentLimits.Default with { MaxToolRounds = 1 });
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"a"}"""),
            ScriptedReply.ToolCall("memory-search", """{"query":"b"}"""),
            ScriptedReply.Text("Here is what I have."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Look around.", tools: [AgentTools.MemorySearch]));

        Assert.Equal("Here is what I have.", reply.Text);
        Assert.Equal([true, false], reply.ToolCalls.Select(c => c.Allowed));
    }
}
