using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// Memory steps inside running playbooks: what a step writes names its run and node as provenance, an agent step's
/// memory.search sees only the scopes the playbook's <c>memory</c> block lets it read, and a write outside the declared
/// scopes fails its step with an error that says so (and, with no error edge, escalates to the operator).
/// </summary>
public sealed class MemoryStepTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string RememberThenAsk = """
        { "schema": "blazoros/playbook@1", "name": "Client memory", "delegation": "delegated",
          "inputs": [{ "name": "client", "type": "string", "required": true }],
          "memory": { "read": ["clients:*"], "write": ["clients:*"] },
          "nodes": [
            { "id": "start", "kind": "trigger.manual" },
            { "id": "remember", "kind": "memory.write",
              "settings": { "subject": "{{ inputs.client }}", "predicate": "prefers-channel", "value": "email", "scope": "clients:acme" } },
            { "id": "ask", "kind": "agent", "settings": { "prompt": "How do we reach {{ inputs.client }}?", "tools": ["memory.search"] } },
            { "id": "done", "kind": "end", "settings": { "outcome": "answered" } }
          ],
          "edges": [ { "from": "start", "to": "remember" }, { "from": "remember", "to": "ask" }, { "from": "ask", "to": "done" } ] }
        """;

    [Fact]
    public async Task A_written_fact_carries_its_run_and_step_and_the_agent_tool_reads_only_declared_scopes()
    {
        await using var model = await OpenAiCompatibleServer.StartAsync();
        model.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"acme"}"""),
            ScriptedReply.Text("By email."));
        await using var host = await EngineHost.StartAsync(new ModelEndpoint(model.BaseUrl, "sk-test", "task-model", null));
        await host.Services.GetRequiredService<FactService>().AddAsync(new NewFact("ACME", "internal-note", FactValue.OfText("acme pays late"), "private", 1),
            ProvenanceSource.Operator, "operator", Cancel);

        var runId = await host.StartRunAsync(await host.ImportAsync(RememberThenAsk), new JsonObject { ["client"] = "ACME" });
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "answered"), (run.Status, run.Outcome));
        await using var db = await host.DbAsync();
        var fact = await db.Facts.Include(f => f.Provenance).SingleAsync(f => f.Predicate == "prefers-channel", Cancel);
        Assert.Equal(((Guid?)runId, "remember", ProvenanceSource.Agent), (fact.Provenance!.RunId, fact.Provenance.NodeId, fact.Provenance.Source));
        var toolResult = JsonNode.Parse(model.Requests[1].ToolResults.Single().Content)!.AsArray();
        Assert.Equal("clients:acme", Assert.Single(toolResult)!["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_write_outside_the_declared_scopes_fails_the_step_with_an_error_naming_the_scope_and_escalates()
    {
        var playbook = RememberThenAsk.Replace("\"write\": [\"clients:*\"]", "\"write\": [\"business\"]", StringComparison.Ordinal);
        await using var host = await EngineHost.StartAsync(ModelEndpoint.None);

        var runId = await host.StartRunAsync(await host.ImportAsync(playbook), new JsonObject { ["client"] = "ACME" });
        var escalation = await host.OpenApprovalAsync(runId, ApprovalKind.Escalation);

        Assert.Equal("remember", escalation.NodeId);
        Assert.Contains("Step 'remember' may not write memory scope 'clients:acme': the playbook's memory.write allows business.",
            escalation.Question, StringComparison.Ordinal);
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.Facts.CountAsync(Cancel));
    }
}
