using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Activities;

public sealed class SubPlaybookActivityTests
{
    private static readonly Guid ChildPlaybook = Guid.Parse("0195a1a0-0000-7000-8000-00000000c0de");

    private static JsonObject Settings() => new()
    {
        ["playbookId"] = ChildPlaybook.ToString(),
        ["inputs"] = new JsonObject { ["lead_email"] = "{{ inputs.email }}", ["priority"] = 2 },
    };

    [Fact]
    public async Task A_sub_playbook_step_starts_the_child_with_rendered_inputs_and_waits_for_it()
    {
        var runner = new RecordingRunner();
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<ISubPlaybookRunner>(runner));
        var activation = Guid.NewGuid();

        var waiting = Assert.IsType<ActivityResult.Waiting>(await harness.RunAsync("playbook", Settings(),
            ActivityHarness.Scope(new JsonObject { ["email"] = "ada@example.com" }), nodeId: "child", activation: activation));

        var start = Assert.Single(runner.Starts);
        Assert.Equal((activation, "child", ChildPlaybook), (start.Activation, start.NodeId, start.PlaybookId));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"lead_email":"ada@example.com","priority":2}"""), start.Inputs));
        Assert.Equal(WaitKind.ChildRun, waiting.Request.Kind);
        Assert.Equal(runner.ChildRunId.ToString(), waiting.Request.Context!["childRunId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_completed_child_continues_with_its_result()
    {
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<ISubPlaybookRunner>(new RecordingRunner()));
        var result = JsonNode.Parse("""{"status":"Completed","outcome":"sent","error":null}""");

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("playbook", Settings(), answer: harness.Answer(AnswerKind.ChildEnded, result)));

        Assert.Equal("next", completed.Port);
        Assert.True(JsonNode.DeepEquals(result, completed.Output));
    }

    [Fact]
    public async Task A_failed_child_fails_the_step_with_its_error()
    {
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<ISubPlaybookRunner>(new RecordingRunner()));
        var result = JsonNode.Parse("""{"status":"Failed","outcome":null,"error":"mail server refused"}""");

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("playbook", Settings(), answer: harness.Answer(AnswerKind.ChildEnded, result)));

        Assert.False(failed.Retryable);
        Assert.Contains("mail server refused", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_child_playbook_fails_without_retry()
    {
        await using var harness = ActivityHarness.Create(s => s.AddSingleton<ISubPlaybookRunner>(new RecordingRunner(missing: true)));

        Assert.False(Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("playbook", Settings())).Retryable);
    }

    [Theory]
    [InlineData("""{ "playbookId": "0195a1a0-0000-7000-8000-00000000c0de" }""", "")]
    [InlineData("""{ "playbookId": "0195a1a0-0000-7000-8000-00000000c0de", "inputs": { "a": "{{ inputs.x }}", "b": true } }""", "")]
    [InlineData("""{ }""", "playbookId")]
    [InlineData("""{ "playbookId": "lead-follow-up" }""", "playbookId")]
    [InlineData("""{ "playbookId": "0195a1a0-0000-7000-8000-00000000c0de", "inputs": { "a": "{{ x" } }""", "inputs")]
    [InlineData("""{ "playbookId": "0195a1a0-0000-7000-8000-00000000c0de", "inputs": { "a": [1] } }""", "inputs")]
    public async Task Sub_playbook_settings_are_validated(string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("playbook").Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }

    private sealed class RecordingRunner(bool missing = false) : ISubPlaybookRunner
    {
        public Guid ChildRunId { get; } = Guid.NewGuid();
        public List<(Guid ParentRunId, Guid Activation, string NodeId, Guid PlaybookId, JsonObject Inputs)> Starts { get; } = [];

        public Task<Guid> StartChildAsync(Guid parentRunId, Guid activation, string nodeId, Guid playbookId, JsonObject inputs,
            CancellationToken cancellationToken)
        {
            if (missing)
            {
                throw new KeyNotFoundException($"Playbook {playbookId} does not exist.");
            }

            Starts.Add((parentRunId, activation, nodeId, playbookId, inputs));
            return Task.FromResult(ChildRunId);
        }
    }
}
