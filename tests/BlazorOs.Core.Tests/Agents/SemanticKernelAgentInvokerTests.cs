using BlazorOs.Core.Agents;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// The invoker through SK's real OpenAI connector against <see cref="OpenAiCompatibleServer"/>: what reaches the
/// server, what comes back, and how each kind of failure is reported (retryable or not, naming the endpoint).
/// </summary>
public sealed class SemanticKernelAgentInvokerTests
{
    [Fact]
    public async Task A_plain_answer_comes_back_with_its_usage_and_its_cost_from_the_price_table()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "task-model": { "inputPerMillion": 0.15, "outputPerMillion": 0.60, "currency": "usd" } }""");
        bed.Server.Enqueue(ScriptedReply.Text("Hello ACME, thanks for your time.", promptTokens: 1000, completionTokens: 200));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Write a short follow-up."));

        Assert.Equal("Hello ACME, thanks for your time.", reply.Text);
        Assert.Null(reply.Structured);
        Assert.Empty(reply.ToolCalls);
        // 1000 × 0.15 + 200 × 0.60 micro-dollars.
        Assert.Equal((AgentTestBed.TaskModel, 1000L, 200L, 270L, "USD"),
            (reply.Model, reply.TokensIn, reply.TokensOut, reply.CostMicros, reply.Currency));
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal((AgentTestBed.TaskModel, false, "Bearer sk-test"), (request.Model, request.Stream, request.Authorization));
    }

    [Fact]
    public async Task A_model_missing_from_the_price_table_costs_nothing_and_is_marked_unpriced()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "some-other-model": { "inputPerMillion": 5, "outputPerMillion": 15 } }""");
        bed.Server.Enqueue(ScriptedReply.Text("ok", promptTokens: 1000, completionTokens: 200));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Say ok."));

        Assert.Equal((1000L, 200L, 0L, (string?)null), (reply.TokensIn, reply.TokensOut, reply.CostMicros, reply.Currency));
    }

    [Fact]
    public async Task The_system_prompt_and_the_user_prompt_reach_the_server_as_plain_text()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("done"));

        // Braces are not template syntax for us: the prompt was rendered before it reached SK.
        await bed.InvokeAsync(AgentTestBed.Request("Summarise {{ steps.notes.output }} for ACME.", system: "You are a careful assistant."));

        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal(["system", "user"], request.Roles);
        Assert.Equal("You are a careful assistant.", request.SystemPrompt);
        Assert.Equal("Summarise {{ steps.notes.output }} for ACME.", request.UserPrompt);
        // No tools allowed: none described, no tool_choice, no JSON mode.
        Assert.Empty(request.OfferedTools);
        Assert.Equal((null, null), (request.ToolChoice, request.ResponseFormatType));
    }

    [Fact]
    public async Task Without_system_instructions_only_the_user_message_is_sent()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("done"));

        await bed.InvokeAsync(AgentTestBed.Request("Hi."));

        Assert.Equal(["user"], Assert.Single(bed.Server.Requests).Roles);
    }

    [Theory]
    [InlineData(ModelTier.Task, AgentTestBed.TaskModel)]
    [InlineData(ModelTier.Planner, AgentTestBed.PlannerModel)]
    public async Task The_tier_picks_the_model(ModelTier tier, string model)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("done"));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Plan the week.", tier: tier));

        Assert.Equal((model, model), (reply.Model, Assert.Single(bed.Server.Requests).Model));
    }

    [Fact]
    public async Task A_keyless_local_endpoint_works()
    {
        // Ollama and LM Studio take no key. SK sends a blank bearer token rather than refusing to start.
        await using var bed = await AgentTestBed.StartAsync(url => new ModelEndpoint(url, ApiKey: null, "llama3.1", PlannerModel: null));
        bed.Server.Enqueue(ScriptedReply.Text("hi from a local model"));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Hi.", tier: ModelTier.Planner));

        Assert.Equal(("hi from a local model", "llama3.1"), (reply.Text, reply.Model));
        Assert.Equal("Bearer", Assert.Single(bed.Server.Requests).Authorization.Trim());
    }

    [Fact]
    public async Task Without_a_configured_model_the_invoker_is_unavailable_and_refuses_calls()
    {
        await using var bed = await AgentTestBed.StartAsync(_ => ModelEndpoint.None);

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.False(bed.Invoker.IsAvailable);
        Assert.False(error.Retryable);
        Assert.Contains("no model configured", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Usage);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task A_server_error_is_retryable_and_names_the_endpoint()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Status(500, """{"error":{"message":"upstream overloaded"}}"""));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.Contains(bed.Server.BaseUrl.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream overloaded", error.Message, StringComparison.Ordinal);
        // No silent retries inside the connector: retrying is the step's failure policy's decision.
        Assert.Single(bed.Server.Requests);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Rate_limits_and_gateway_errors_are_retryable(int status)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Status(status));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_not_retryable()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.RequiredApiKey = "sk-the-right-one";

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.False(error.Retryable);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key", error.Message, StringComparison.Ordinal);
        Assert.Contains("BLAZOROS_LLM_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Requests_the_endpoint_rejects_are_not_retryable(int status)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Status(status, """{"error":{"message":"The model `task-model` does not exist"}}"""));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.False(error.Retryable);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_retryable_and_names_the_endpoint()
    {
        var closed = OpenAiCompatibleServer.ClosedPortUrl();
        await using var bed = await AgentTestBed.StartAsync(_ => new ModelEndpoint(closed, "sk-test", "task-model", null));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.StartsWith($"could not reach the model endpoint {closed}", error.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (error.Usage!.TokensIn, error.Usage.TokensOut));
    }

    [Fact]
    public async Task A_model_that_does_not_answer_in_time_is_retryable()
    {
        await using var bed = await AgentTestBed.StartAsync(limits: AgentLimits.Default with { ModelTimeout = TimeSpan.FromMilliseconds(500) });
        bed.Server.Enqueue(ScriptedReply.Text("too late").After(TimeSpan.FromSeconds(10)));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.Equal($"the model endpoint {bed.Server.BaseUrl} did not answer within 500 ms", error.Message);
    }

    [Fact]
    public async Task Cancelling_the_step_cancels_the_call_without_calling_it_a_model_failure()
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text("too late").After(TimeSpan.FromSeconds(10)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => bed.Invoker.InvokeAsync(AgentTestBed.Request("Hi."), cancel.Token));

        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"id":"x","object":"chat.completion","choices":"nope"}""")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"index":0}]}""")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],"usage":"lots"}""")]
    public async Task A_body_that_is_not_a_chat_completion_is_retryable(string body)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Raw(body));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.StartsWith($"the model endpoint {bed.Server.BaseUrl} answered with something that is not an OpenAI chat completion",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_completion_without_usage_counts_no_tokens()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "task-model": { "inputPerMillion": 1, "outputPerMillion": 1 } }""");
        bed.Server.Enqueue(ScriptedReply.Raw("""{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("Hi."));

        Assert.Equal(("hi", 0L, 0L, 0L, "USD"), (reply.Text, reply.TokensIn, reply.TokensOut, reply.CostMicros, reply.Currency));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public async Task An_empty_answer_is_retryable(string content)
    {
        await using var bed = await AgentTestBed.StartAsync();
        bed.Server.Enqueue(ScriptedReply.Text(content));

        var error = await Assert.ThrowsAsync<AgentException>(() => bed.InvokeAsync(AgentTestBed.Request("Hi.")));

        Assert.True(error.Retryable);
        Assert.Contains("empty answer", error.Message, StringComparison.Ordinal);
    }
}
