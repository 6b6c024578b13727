using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// The working tier: a run's notes (memory.write with tier working) are read back by its own later steps, first, never
/// reach the durable store or another run, survive a restart mid-run (rebuilt from the trace) and are dropped at run end.
/// </summary>
public sealed class WorkingMemoryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string NoteThenRecall(string between = "", string betweenEdges = """{ "from": "note", "to": "recall" }""") => Playbooks.With(
        $$$"""
        { "id": "note", "kind": "memory.write",
          "settings": { "tier": "working", "subject": "{{ inputs.client }}", "predicate": "draft-status", "value": "second draft sent" } },
        {{{between}}}
        { "id": "recall", "kind": "memory.read", "settings": { "query": "{{ inputs.client }} draft", "type": "any" } },
        { "id": "done", "kind": "end", "settings": { "outcome": "recalled" } }
        """,
        $$"""
        { "from": "start", "to": "note" }, {{betweenEdges}}, { "from": "recall", "to": "done" }
        """, inputs: """[{ "name": "client", "type": "string", "required": true }]""");

    [Fact]
    public async Task A_note_is_recalled_first_by_a_later_step_of_its_run_and_never_reaches_the_store_or_another_run()
    {
        await using var host = await EngineHost.StartAsync();
        await host.Services.GetRequiredService<FactService>().AddAsync(new NewFact("Acme", "draft-owner", FactValue.OfText("Dana drafts for acme"), "business", 1),
            ProvenanceSource.Operator, "operator", Cancel);
        var playbook = await host.ImportAsync(NoteThenRecall());

        var first = await host.StartRunAsync(playbook, new JsonObject { ["client"] = "Acme" });
        await host.WaitForAsync(first, RunStatus.Completed, RunStatus.Failed);
        var recalled = await RecalledAsync(host, first);

        Assert.Equal(("working", "draft-status", "second draft sent", "note"),
            (recalled[0]!["tier"]!.GetValue<string>(), recalled[0]!["predicate"]!.GetValue<string>(), recalled[0]!["value"]!.GetValue<string>(),
                recalled[0]!["node"]!.GetValue<string>()));
        Assert.Equal("draft-owner", recalled[1]!["predicate"]!.GetValue<string>());
        Assert.Equal(2, recalled.Count);
        await using (var db = await host.DbAsync())
        {
            Assert.False(await db.Facts.AnyAsync(f => f.Predicate == "draft-status", Cancel));
        }

        Assert.Contains(WorkingMemory.TraceKind, await host.TraceKindsAsync(first));
        Assert.True(await host.Engine.WaitForIdleAsync(first, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, host.Services.GetRequiredService<WorkingMemory>().CachedRuns);

        var other = await host.StartRunAsync(await host.ImportAsync(Playbooks.With(
            """{ "id": "recall", "kind": "memory.read", "settings": { "query": "acme draft", "type": "any" } }""",
            """{ "from": "start", "to": "recall" }""")));
        await host.WaitForAsync(other, RunStatus.Completed, RunStatus.Failed);
        Assert.Equal("draft-owner", Assert.Single(await RecalledAsync(host, other))!["predicate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notes_written_before_a_restart_are_rebuilt_from_the_trace_for_the_steps_after_it()
    {
        await using var host = await EngineHost.StartAsync();
        var playbook = await host.ImportAsync(NoteThenRecall(
            """{ "id": "review", "kind": "approval", "settings": { "question": "Go on?" } },""",
            """{ "from": "note", "to": "review" }, { "from": "review", "port": "approved", "to": "recall" }"""));
        var runId = await host.StartRunAsync(playbook, new JsonObject { ["client"] = "Globex" });
        var approval = await host.OpenApprovalAsync(runId);

        await host.RestartAsync();
        await host.Engine.AnswerAsync(approval.Id, ApprovalDecision.Approve, null, "operator", Cancel);
        await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        var note = Assert.Single(await RecalledAsync(host, runId));
        Assert.Equal(("Globex", "second draft sent"), (note!["subject"]!.GetValue<string>(), note["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_agent_tool_sees_the_runs_notes_before_durable_memory()
    {
        await using var model = await OpenAiCompatibleServer.StartAsync();
        model.Enqueue(ScriptedReply.ToolCall("memory-search", """{"query":"initech draft"}"""), ScriptedReply.Text("The second draft went out."));
        await using var host = await EngineHost.StartAsync(new ModelEndpoint(model.BaseUrl, "sk-test", "task-model", null));
        var playbook = await host.ImportAsync(NoteThenRecall(
            """{ "id": "ask", "kind": "agent", "settings": { "prompt": "Where is the Initech draft?", "tools": ["memory.search"] } },""",
            """{ "from": "note", "to": "ask" }, { "from": "ask", "to": "recall" }"""));

        var runId = await host.StartRunAsync(playbook, new JsonObject { ["client"] = "Initech" });
        await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        var found = JsonNode.Parse(model.Requests[1].ToolResults.Single().Content)!.AsArray();
        Assert.Equal(("working", "second draft sent"), (found[0]!["tier"]!.GetValue<string>(), found[0]!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_note_too_long_for_the_trace_fails_its_step_with_a_clear_error_instead_of_being_lost_at_a_restart()
    {
        await using var host = await EngineHost.StartAsync();
        var playbook = await host.ImportAsync(Playbooks.With(
            """
            { "id": "note", "kind": "memory.write",
              "settings": { "tier": "working", "subject": "Acme", "predicate": "transcript", "value": "{{ inputs.text }}" } },
            { "id": "done", "kind": "end" }
            """,
            """{ "from": "start", "to": "note" }, { "from": "note", "to": "done" }""",
            inputs: """[{ "name": "text", "type": "string", "required": true }]"""));
        var runId = await host.StartRunAsync(playbook, new JsonObject { ["text"] = new string('x', 40_000) });

        var escalation = await host.OpenApprovalAsync(runId, ApprovalKind.Escalation);

        Assert.Equal("note", escalation.NodeId);
        Assert.Contains("A working note must fit in the run's trace", escalation.Question, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkingMemory.TraceKind, await host.TraceKindsAsync(runId));
    }

    private static async Task<JsonArray> RecalledAsync(EngineHost host, Guid runId)
    {
        var step = (await host.StepsAsync(runId)).Single(s => s.NodeId == "recall");
        return JsonNode.Parse(step.OutputJson!)!.AsArray();
    }
}
