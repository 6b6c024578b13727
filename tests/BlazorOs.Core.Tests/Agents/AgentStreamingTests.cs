using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// <see cref="IAgentInvoker.InvokeStreamingAsync"/> over SSE chunks: the pieces arrive in order, the reply is
/// the same as without streaming (text, usage, tool calls), and tool rounds work while streaming.
/// </summary>
public sealed class AgentStreamingTests
{
    [Fact]
    public async Task Streamed_pieces_arrive_in_order_and_add_up_to_the_reply()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "task-model": { "inputPerMillion": 1, "outputPerMillion": 2 } }""");
        bed.Server.Enqueue(ScriptedReply.Text("Dear ACME, thank you for the call.", promptTokens: 40, completionTokens: 9) with { ChunkSize = 5 });
        var pieces = new List<string>();

        var reply = await bed.Invoker.InvokeStreamingAsync(AgentTestBed.Request("Write it.", system: "Be brief."), pieces.Add,
            TestContext.Current.CancellationToken);

        Assert.Equal("Dear ACME, thank you for the call.", reply.Text);
        Assert.True(pieces.Count >= 7, $"expected the answer in pieces, got {pieces.Count}");
        Assert.Equal(reply.Text, string.Concat(pieces));
        Assert.Equal((40L, 9L, 58L), (reply.TokensIn, reply.TokensOut, reply.CostMicros));
        var request = Assert.Single(bed.Server.Requests);
        Assert.True(request.Stream);
        Assert.Equal("Be brief.", request.SystemPrompt);
        Assert.Equal("true", request.Body["stream_options"]?["include_usage"]?.ToJsonString());
    }

    [Fact]
    public async Task A_tool_round_works_while_streaming()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.AddFactAsync("ACME", "payment-terms-days", FactValue.OfNumber(45));
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"ACME"}""", promptTokens: 100, completionTokens: 20) with { Content = "Let me look. " },
            ScriptedReply.Text("ACME pays in 45 days.", promptTokens: 180, completionTokens: 12));
        var pieces = new List<string>();

        var reply = await bed.Invoker.InvokeStreamingAsync(AgentTestBed.Request("Terms?", tools: [AgentTools.MemorySearch]), pieces.Add,
            TestContext.Current.CancellationToken);

        // Text before the tool call was streamed as a preview but is not the answer.
        Assert.Equal("ACME pays in 45 days.", reply.Text);
        Assert.Equal("Let me look. ACME pays in 45 days.", string.Concat(pieces));
        Assert.Equal((280L, 32L), (reply.TokensIn, reply.TokensOut));
        var call = Assert.Single(reply.ToolCalls);
        Assert.Equal((AgentTools.MemorySearch, true), (call.Tool, call.Allowed));
        Assert.Contains("payment-terms-days", call.Result, StringComparison.Ordinal);
        Assert.Equal(2, bed.Server.Requests.Count);
        Assert.Equal(call.Result, Assert.Single(bed.Server.Requests[1].ToolResults).Content);
    }

    [Fact]
    public async Task A_server_error_while_streaming_is_the_same_retryable_failure()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Status(503));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.Invoker.InvokeStreamingAsync(
            AgentTestBed.Request("Hi."), _ => { }, TestContext.Current.CancellationToken));

        Assert.True(error.Retryable);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_listener_surfaces_as_itself_not_as_a_model_failure()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("Dear ACME"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bed.Invoker.InvokeStreamingAsync(
            AgentTestBed.Request("Hi."), _ => throw new InvalidOperationException("the view is gone"), TestContext.Current.CancellationToken));

        Assert.Equal("the view is gone", error.Message);
    }
}
