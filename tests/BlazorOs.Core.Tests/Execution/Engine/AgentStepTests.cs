using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// Agent steps inside running playbooks: draft (agent) → review (approval showing the draft) → end. With a model the
/// real Semantic Kernel connector talks to an OpenAI-compatible server on 127.0.0.1; without one the step becomes an
/// operator task. Invariant: the step's output is the model's answer or the operator's text, never a made-up one,
/// and it flows on to the steps after it.
/// </summary>
public sealed class AgentStepTests
{
    private const string DraftThenReview = """
        { "schema": "blazoros/playbook@1", "name": "Follow-up", "delegation": "delegated",
          "inputs": [{ "name": "name", "type": "string", "required": true }],
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "draft", "kind": "agent", "settings": { "prompt": "Write a two-line follow-up to {{ inputs.name }}.", "tier": "task" } },
            { "id": "review", "kind": "approval", "settings": { "question": "Send it?", "show": "{{ steps.draft.output }}" } },
            { "id": "sent", "kind": "end", "settings": { "outcome": "sent" } },
            { "id": "dropped", "kind": "end", "settings": { "outcome": "dropped" } }
          ],
          "edges": [
            { "from": "start", "to": "draft" },
            { "from": "draft", "to": "review" },
            { "from": "review", "port": "approved", "to": "sent" },
            { "from": "review", "port": "rejected", "to": "dropped" }
          ] }
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_step_asks_the_configured_model_and_the_approval_after_it_shows_the_answer()
    {
        await using var model = await OpenAiCompatibleServer.StartAsync();
        model.Enqueue(ScriptedReply.Text("Hi Ada, shall we talk on Tuesday?", promptTokens: 40, completionTokens: 12));
        await using var host = await EngineHost.StartAsync(new ModelEndpoint(model.BaseUrl, "sk-test", "task-model", null));
        var runId = await host.StartRunAsync(await host.ImportAsync(DraftThenReview), new JsonObject { ["name"] = "Ada" });

        var review = await host.OpenApprovalAsync(runId, ApprovalKind.Approval);
        Assert.Equal("Hi Ada, shall we talk on Tuesday?", JsonNode.Parse(review.ContextJson!)!["show"]!.GetValue<string>());
        await host.Engine.AnswerAsync(review.Id, ApprovalDecision.Approve, null, "operator", Cancel);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "sent"), (run.Status, run.Outcome));
        var request = Assert.Single(model.Requests);
        Assert.Equal("task-model", request.Model);
        Assert.Equal("Write a two-line follow-up to Ada.", request.UserPrompt);
        var draft = (await host.StepsAsync(runId)).Single(s => s.NodeId == "draft");
        Assert.Equal("Hi Ada, shall we talk on Tuesday?", JsonNode.Parse(draft.OutputJson!)!.GetValue<string>());
        Assert.Equal((40L, 12L), (draft.TokensIn, draft.TokensOut));
        Assert.Equal((40L, 12L), (run.TokensIn, run.TokensOut));
        Assert.Contains("agent.reply", await host.TraceKindsAsync(runId));
    }

    [Fact]
    public async Task With_no_model_configured_the_agent_step_becomes_an_operator_task_whose_written_output_flows_on()
    {
        await using var host = await EngineHost.StartAsync(ModelEndpoint.None);
        var runId = await host.StartRunAsync(await host.ImportAsync(DraftThenReview), new JsonObject { ["name"] = "Ada" });

        var task = await host.OpenApprovalAsync(runId, ApprovalKind.OperatorTask);
        Assert.Equal(RunStatus.Suspended, (await host.WaitForAsync(runId, RunStatus.Suspended)).Status);
        Assert.Contains("No model is configured", task.Question, StringComparison.Ordinal);
        Assert.Equal("Write a two-line follow-up to Ada.", JsonNode.Parse(task.ContextJson!)!["prompt"]!.GetValue<string>());
        await host.Engine.AnswerAsync(task.Id, ApprovalDecision.Modify, JsonValue.Create("Dear Ada, written by hand."), "operator", Cancel);
        var review = await host.OpenApprovalAsync(runId, ApprovalKind.Approval);
        Assert.Equal("Dear Ada, written by hand.", JsonNode.Parse(review.ContextJson!)!["show"]!.GetValue<string>());
        await host.Engine.AnswerAsync(review.Id, ApprovalDecision.Approve, null, "operator", Cancel);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "sent"), (run.Status, run.Outcome));
        var draft = (await host.StepsAsync(runId)).Single(s => s.NodeId == "draft");
        Assert.Equal((StepStatus.Completed, 0L), (draft.Status, draft.TokensIn));
        Assert.Equal("Dear Ada, written by hand.", JsonNode.Parse(draft.OutputJson!)!.GetValue<string>());
    }
}
