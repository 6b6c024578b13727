using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>
/// The agent kind renders its prompt itself and hands plain text to <see cref="IAgentInvoker"/> (whose Semantic Kernel
/// implementation is tested against a real OpenAI-compatible server elsewhere); here a scripted invoker stands in.
/// Without a model the step becomes an operator task, never a made-up answer.
/// </summary>
public sealed class AgentActivityTests
{
    private static readonly JsonObject Settings = Json.Object("""
        { "prompt": "Write a short follow-up to {{ inputs.lead_email }}.", "system": "You write for {{ run.playbook }}.",
          "tier": "planner", "tools": ["memory.search", "http.get"], "allowedHosts": ["api.example.com"] }
        """);

    private static RunScope Scope() => ActivityHarness.Scope(new JsonObject { ["lead_email"] = "ada@example.com {{ run.id }}" });

    [Fact]
    public async Task The_rendered_prompt_goes_to_the_model_and_the_reply_is_the_output_with_its_trace_and_usage()
    {
        var invoker = new ScriptedInvoker(new AgentReply("Dear Ada, …", null, "gpt-test", 120, 40, 310,
            [new AgentToolCall("memory.search", """{"q":"ada"}""", "[]", Allowed: true)]));
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<IAgentInvoker>(invoker));

        var result = await harness.RunAsync("agent", Settings, Scope(), nodeId: "draft");

        var completed = Assert.IsType<ActivityResult.Completed>(result);
        Assert.Equal(("next", "Dear Ada, …"), (completed.Port, completed.Output!.GetValue<string>()));
        var request = Assert.Single(invoker.Requests);
        Assert.Equal("Write a short follow-up to ada@example.com {{ run.id }}.", request.Prompt);
        Assert.Equal("You write for Lead follow-up.", request.System);
        Assert.Equal((ModelTier.Planner, "draft"), (request.Tier, request.NodeId));
        Assert.Equal(["memory.search", "http.get"], request.Tools);
        Assert.Equal(["api.example.com"], request.AllowedHosts);
        Assert.Equal(["agent.prompt", "agent.tool", "agent.reply"], harness.Trace.Kinds);
        Assert.Equal(request.Prompt, harness.Trace.DataOf("agent.prompt")!["prompt"]!.GetValue<string>());
        Assert.Equal(("gpt-test", 120, 40, 310), (harness.Trace.DataOf("agent.reply")!["model"]!.GetValue<string>(),
            harness.Trace.DataOf("agent.reply")!["tokensIn"]!.GetValue<long>(), harness.Trace.DataOf("agent.reply")!["tokensOut"]!.GetValue<long>(),
            harness.Trace.DataOf("agent.reply")!["costMicros"]!.GetValue<long>()));
        Assert.Equal((120L, 40L, 310L), Assert.Single(harness.Trace.Usage));
    }

    [Fact]
    public async Task A_structured_reply_is_the_output_as_json()
    {
        var invoker = new ScriptedInvoker(new AgentReply("""{"score":0.9}""", new JsonObject { ["score"] = 0.9 }, "gpt-test", 1, 1, 1, []));
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<IAgentInvoker>(invoker));
        var settings = Json.Object("""{ "prompt": "Score it", "outputSchema": { "type": "object" } }""");

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("agent", settings));

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["score"] = 0.9 }, completed.Output));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["type"] = "object" }, invoker.Requests.Single().OutputSchema));
    }

    [Fact]
    public async Task A_long_prompt_is_truncated_in_the_trace_only()
    {
        var invoker = new ScriptedInvoker(new AgentReply("ok", null, "m", 1, 1, 0, []));
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<IAgentInvoker>(invoker));
        var settings = Json.Object("""{ "prompt": "{{ inputs.text }}" }""");

        await harness.RunAsync("agent", settings, ActivityHarness.Scope(new JsonObject { ["text"] = new string('x', 10_000) }));

        Assert.Equal(10_000, invoker.Requests.Single().Prompt.Length);
        Assert.Equal(4000, harness.Trace.DataOf("agent.prompt")!["prompt"]!.GetValue<string>().Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_model_failure_fails_the_step_as_retryable_or_not(bool retryable)
    {
        var invoker = new ScriptedInvoker(new AgentException("the endpoint is down", retryable));
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<IAgentInvoker>(invoker));

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("agent", Settings, Scope()));

        Assert.Equal(("the endpoint is down", retryable), (failed.Error, failed.Retryable));
    }

    [Fact]
    public async Task Without_a_model_the_step_asks_the_operator_and_takes_the_written_output()
    {
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<IAgentInvoker>(new ScriptedInvoker(available: false)));

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("agent", Settings, Scope(), nodeId: "draft"));

        Assert.Equal(WaitKind.OperatorTask, waiting.Request.Kind);
        Assert.Equal("No model is configured: write the output of 'draft' or configure a provider", waiting.Request.Question);
        Assert.Equal("Write a short follow-up to ada@example.com {{ run.id }}.", waiting.Request.Context!["prompt"]!.GetValue<string>());
        Assert.Equal("You write for Lead follow-up.", waiting.Request.Context!["system"]!.GetValue<string>());

        var answered = await harness.RunAsync("agent", Settings, Scope(), harness.Answer(AnswerKind.Provided, "Hi Ada, written by hand."), "draft");

        var completed = Assert.IsType<ActivityResult.Completed>(answered);
        Assert.Equal(("next", "Hi Ada, written by hand."), (completed.Port, completed.Output!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_any_invoker_registered_the_step_is_an_operator_task_too()
    {
        await using var harness = ActivityHarness.Create();

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("agent", Settings, Scope()));

        Assert.Equal(WaitKind.OperatorTask, waiting.Request.Kind);
    }

    [Fact]
    public async Task Settings_that_lost_a_required_value_fail_the_step_without_retry()
    {
        await using var harness = ActivityHarness.Create();

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("agent", [], nodeId: "draft"));

        Assert.False(failed.Retryable);
        Assert.Contains("'draft'", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_that_fails_to_render_fails_the_step_without_retry()
    {
        await using var harness = ActivityHarness.Create();
        var settings = Json.Object("""{ "prompt": "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}" }""");

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("agent", settings));

        Assert.False(failed.Retryable);
    }

    [Theory]
    [InlineData("""{ "prompt": "Hi {{ inputs.name }}" }""", "")]
    [InlineData("""{ "prompt": "Hi", "tier": "task", "tools": ["memory.search"], "outputSchema": { "type": "object" } }""", "")]
    [InlineData("""{ }""", "prompt")]
    [InlineData("""{ "prompt": "  " }""", "prompt")]
    [InlineData("""{ "prompt": 3 }""", "prompt")]
    [InlineData("""{ "prompt": "Hi {{ inputs.name " }""", "prompt")]
    [InlineData("""{ "prompt": "Hi", "system": "{% if %}" }""", "system")]
    [InlineData("""{ "prompt": "Hi", "tier": "genius" }""", "tier")]
    [InlineData("""{ "prompt": "Hi", "tools": ["shell.exec"] }""", "tools")]
    [InlineData("""{ "prompt": "Hi", "tools": "memory.search" }""", "tools")]
    [InlineData("""{ "prompt": "Hi", "tools": ["http.get"] }""", "allowedHosts")]
    [InlineData("""{ "prompt": "Hi", "tools": ["http.get"], "allowedHosts": ["https://x.com/path"] }""", "allowedHosts")]
    [InlineData("""{ "prompt": "Hi", "outputSchema": "object" }""", "outputSchema")]
    [InlineData("""{ "prompt": "Hi", "model": "gpt-5" }""", "model")]
    public async Task Agent_settings_are_validated(string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("agent").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }

    private sealed class ScriptedInvoker : IAgentInvoker
    {
        private readonly AgentReply? _reply;
        private readonly AgentException? _failure;

        public ScriptedInvoker(AgentReply reply) => (_reply, IsAvailable) = (reply, true);

        public ScriptedInvoker(AgentException failure) => (_failure, IsAvailable) = (failure, true);

        public ScriptedInvoker(bool available) => IsAvailable = available;

        public bool IsAvailable { get; }
        public List<AgentRequest> Requests { get; } = [];

        public Task<AgentReply> InvokeAsync(AgentRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return _failure is not null ? Task.FromException<AgentReply>(_failure) : Task.FromResult(_reply!);
        }
    }
}
