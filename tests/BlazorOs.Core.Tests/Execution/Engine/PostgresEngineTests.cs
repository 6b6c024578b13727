using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Memory;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Execution.Engine;

/// <summary>
/// The engine on the scale-out provider: runs, checkpoints, timers, approvals across a restart and memory steps on a
/// real PostgreSQL server (test.sh starts a throwaway one on loopback and sets <c>BLAZOROS_TEST_POSTGRES</c>; without it
/// these are skipped). Each test gets a database of its own.
/// </summary>
public sealed class PostgresEngineTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<EngineHost> StartAsync(ModelEndpoint? model = null)
    {
        var server = Environment.GetEnvironmentVariable(PostgresMemorySearchTests.ServerVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(server), $"{PostgresMemorySearchTests.ServerVariable} is not set: no PostgreSQL server to test against.");
        return EngineHost.StartOnPostgresAsync(server, model);
    }

    [Fact]
    public async Task On_PostgreSQL_an_approval_survives_a_restart_and_parallel_timers_meet_once()
    {
        await using var host = await StartAsync();
        var id = await host.ImportAsync(Playbooks.With(
            """
            { "id": "split", "kind": "parallel" },
            { "id": "left", "kind": "delay", "settings": { "seconds": 0.2 } },
            { "id": "right", "kind": "delay", "settings": { "seconds": 0.1 } },
            { "id": "meet", "kind": "join" },
            { "id": "review", "kind": "approval", "settings": { "question": "Go on?" } },
            { "id": "yes", "kind": "end", "settings": { "outcome": "approved" } },
            { "id": "no", "kind": "end", "settings": { "outcome": "rejected" } }
            """,
            """
            { "from": "start", "to": "split" },
            { "from": "split", "to": "left" },
            { "from": "split", "to": "right" },
            { "from": "left", "to": "meet" },
            { "from": "right", "to": "meet" },
            { "from": "meet", "to": "review" },
            { "from": "review", "port": "approved", "to": "yes" },
            { "from": "review", "port": "rejected", "to": "no" }
            """));

        var runId = await host.StartRunAsync(id);
        var approval = await host.OpenApprovalAsync(runId);
        await host.WaitForAsync(runId, RunStatus.Suspended);
        await host.RestartAsync();
        await host.Engine.AnswerAsync(approval.Id, ApprovalDecision.Approve, null, "operator", Cancel);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "approved"), (run.Status, run.Outcome));
        var steps = await host.StepsAsync(runId);
        Assert.Single(steps, s => s.NodeId == "meet");
        Assert.Single(steps, s => s.NodeId == "review");
        var kinds = await host.TraceKindsAsync(runId);
        Assert.Equal(("run.started", "run.completed"), (kinds[0], kinds[^1]));
        Assert.Contains("run.recovered", kinds);
        var sequences = (await host.TraceAsync(runId)).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(n => (long)n), sequences);
    }

    [Fact]
    public async Task On_PostgreSQL_a_memory_step_writes_with_provenance_and_the_agent_tool_finds_it_within_its_scopes()
    {
        await using var model = await OpenAiCompatibleServer.StartAsync();
        model.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"acme channel"}"""),
            ScriptedReply.Text("By email."));
        await using var host = await StartAsync(new ModelEndpoint(model.BaseUrl, "sk-test", "task-model", null));
        await host.Services.GetRequiredService<FactService>().AddAsync(new NewFact("ACME", "internal-note", FactValue.OfText("acme channel: phone"), "private", 1),
            ProvenanceSource.Operator, "operator", Cancel);
        var id = await host.ImportAsync("""
            { "schema": "blazoros/playbook@1", "name": "Client memory", "delegation": "delegated",
              "memory": { "read": ["clients:*"], "write": ["clients:*"] },
              "nodes": [
                { "id": "start", "kind": "trigger.manual" },
                { "id": "remember", "kind": "memory.write",
                  "settings": { "subject": "ACME", "predicate": "prefers-channel", "value": "email", "scope": "clients:acme" } },
                { "id": "ask", "kind": "agent", "settings": { "prompt": "How do we reach ACME?", "tools": ["memory.search"] } },
                { "id": "done", "kind": "end", "settings": { "outcome": "answered" } }
              ],
              "edges": [ { "from": "start", "to": "remember" }, { "from": "remember", "to": "ask" }, { "from": "ask", "to": "done" } ] }
            """);

        var runId = await host.StartRunAsync(id);
        var run = await host.WaitForAsync(runId, RunStatus.Completed, RunStatus.Failed);

        Assert.Equal((RunStatus.Completed, "answered"), (run.Status, run.Outcome));
        await using var db = await host.DbAsync();
        var fact = await db.Facts.Include(f => f.Provenance).SingleAsync(f => f.Predicate == "prefers-channel", Cancel);
        Assert.Equal(((Guid?)runId, "remember"), (fact.Provenance!.RunId, fact.Provenance.NodeId));
        var found = JsonNode.Parse(model.Requests[1].ToolResults.Single().Content)!.AsArray();
        Assert.Equal("clients:acme", Assert.Single(found)!["scope"]!.GetValue<string>());
    }
}
