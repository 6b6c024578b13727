using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Tests.Support;

namespace BlazorOs.Core.Tests.Agents;

/// <summary>
/// The memory.search tool over the loopback model: ranked recall across item types, limited to the scopes the playbook may
/// read; a request for another scope is answered with a refusal the model can read, and nothing of that scope.
/// </summary>
public sealed class MemorySearchToolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tool_returns_only_readable_scopes_and_refuses_a_scope_outside_them()
    {
        await using var bed = await AgentTestBed.StartAsync();
        var at = bed.Store.Now;
        await bed.Facts.AddAsync(new NewFact("Hooli", "segment", FactValue.OfText("enterprise"), "clients:hooli", 1), ProvenanceSource.Operator, "operator", Ct);
        await bed.Facts.AddAsync(new NewFact("Hooli", "internal-note", FactValue.OfText("late payer"), "private", 1), ProvenanceSource.Operator, "operator", Ct);
        await bed.Store.Get<DecisionService>().AddAsync(new NewDecision("Hooli gets net-30 terms", "They paid on time for a year", Scope: "clients:hooli"),
            Provenance.Of(ProvenanceSource.Operator, "operator", at), Ct);
        bed.Server.Enqueue(
            ScriptedReply.ToolCall("memory-search", """{"query":"hooli"}""", id: "call_1"),
            ScriptedReply.ToolCall("memory-search", """{"query":"hooli","scope":"private"}""", id: "call_2"),
            ScriptedReply.Text("Done."));

        var reply = await bed.InvokeAsync(AgentTestBed.Request("What do we know about Hooli?", tools: [AgentTools.MemorySearch])
            with { MemoryReadable = MemoryScopeSet.Of(["clients:*"]) });

        var open = JsonNode.Parse(reply.ToolCalls[0].Result)!.AsArray();
        Assert.Equal(["decision", "fact"], open.Select(h => h!["type"]!.GetValue<string>()).Order());
        Assert.All(open, h => Assert.Equal("clients:hooli", h!["scope"]!.GetValue<string>()));
        var refused = JsonNode.Parse(reply.ToolCalls[1].Result)!;
        Assert.Equal("This step may not read memory scope 'private'. It may read: clients:*.", refused["error"]!.GetValue<string>());
        Assert.DoesNotContain("late payer", reply.ToolCalls[1].Result);
    }
}
