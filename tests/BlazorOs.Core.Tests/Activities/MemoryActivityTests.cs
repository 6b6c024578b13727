using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>memory.read and memory.write against a real SQLite store; facts written by a step name their run and node.</summary>
public sealed class MemoryActivityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_stores_the_rendered_fact_with_the_run_and_node_as_provenance()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        var runId = await AddRunAsync(harness);
        var settings = Json.Object("""
            { "subject": "{{ inputs.client }}", "predicate": "prefers-channel", "value": "{{ steps.classify.output }}", "scope": "clients", "confidence": 0.8 }
            """);
        var scope = ActivityHarness.Scope(new JsonObject { ["client"] = "ACME" }, new Dictionary<string, JsonNode?> { ["classify"] = "email" });

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.write", settings, scope, nodeId: "remember", runId: runId));

        await using var db = await harness.Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct);
        var fact = await db.Facts.Include(f => f.Provenance).SingleAsync(Ct);
        Assert.Equal(("ACME", "prefers-channel", "email", "clients", 0.8), (fact.Subject, fact.Predicate, fact.ValueText, fact.Scope, fact.Confidence));
        Assert.Equal((ProvenanceSource.Agent, (Guid?)runId, "remember"), (fact.Provenance!.Source, fact.Provenance.RunId, fact.Provenance.NodeId));
        Assert.Equal(fact.Id.ToString(), completed.Output!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_write_replayed_for_the_same_step_does_not_write_the_fact_twice()
    {
        var ledger = new InMemoryEffectLedger();
        await using var harness = await ActivityHarness.CreateWithStoreAsync(s => s.AddSingleton<IEffectLedger>(ledger));
        var runId = await AddRunAsync(harness);
        var settings = Json.Object("""{ "subject": "ACME", "predicate": "payment-terms-days", "value": "45", "valueType": "number" }""");

        var first = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.write", settings, runId: runId));
        var again = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.write", settings, runId: runId));

        await using var db = await harness.Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct);
        var fact = await db.Facts.SingleAsync(Ct);
        Assert.Equal((FactValueKind.Number, 45.0), (fact.ValueKind, fact.ValueNumber));
        Assert.True(JsonNode.DeepEquals(first.Output, again.Output));
    }

    [Fact]
    public async Task A_value_that_is_not_of_its_type_fails_without_retry()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        var settings = Json.Object("""{ "subject": "ACME", "predicate": "founded", "value": "long ago", "valueType": "date" }""");

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("memory.write", settings));

        Assert.False(failed.Retryable);
    }

    [Fact]
    public async Task A_read_finds_facts_by_rendered_text_within_a_scope()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        var facts = harness.Get<FactService>();
        await facts.AddAsync(new NewFact("ACME", "prefers-channel", FactValue.OfText("email"), "clients", 0.9), ProvenanceSource.Operator, "operator", Ct);
        await facts.AddAsync(new NewFact("ACME", "internal-note", FactValue.OfText("slow payer"), "private", 1), ProvenanceSource.Operator, "operator", Ct);
        await facts.AddAsync(new NewFact("Globex", "prefers-channel", FactValue.OfText("phone"), "clients", 1), ProvenanceSource.Operator, "operator", Ct);
        var settings = Json.Object("""{ "query": "{{ inputs.client }}", "scope": "clients", "limit": 10 }""");

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.read", settings,
            ActivityHarness.Scope(new JsonObject { ["client"] = "ACME" })));

        var found = Assert.Single(completed.Output!.AsArray());
        Assert.Equal(("ACME", "prefers-channel", "email", "clients", 0.9), (found!["subject"]!.GetValue<string>(), found["predicate"]!.GetValue<string>(),
            found["value"]!.GetValue<string>(), found["scope"]!.GetValue<string>(), found["confidence"]!.GetValue<double>()));
        Assert.Contains("memory.read", harness.Trace.Kinds);
    }

    [Theory]
    [InlineData("memory.read", """{ }""", "")]
    [InlineData("memory.read", """{ "query": "{{ inputs.client }}", "type": "fact", "scope": "clients", "limit": 5 }""", "")]
    [InlineData("memory.read", """{ "limit": 0 }""", "limit")]
    [InlineData("memory.read", """{ "limit": 2.5 }""", "limit")]
    [InlineData("memory.read", """{ "limit": 501 }""", "limit")]
    [InlineData("memory.read", """{ "type": "dream" }""", "type")]
    [InlineData("memory.read", """{ "query": "{% for %}" }""", "query")]
    [InlineData("memory.write", """{ "subject": "ACME", "predicate": "p", "value": "v" }""", "")]
    [InlineData("memory.write", """{ "subject": "ACME", "predicate": "p" }""", "value")]
    [InlineData("memory.write", """{ "predicate": "p", "value": "v" }""", "subject")]
    [InlineData("memory.write", """{ "subject": "ACME", "predicate": "p", "value": "v", "confidence": 1.5 }""", "confidence")]
    [InlineData("memory.write", """{ "subject": "ACME", "predicate": "p", "value": "v", "valueType": "money" }""", "valueType")]
    [InlineData("memory.write", """{ "subject": "ACME", "predicate": "p", "value": "v", "scope": "" }""", "scope")]
    public async Task Memory_settings_are_validated(string kind, string settings, string problemFields)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity(kind).Validate(Json.Object(settings));

        Assert.Equal(problemFields.Split(',', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Field));
    }

    internal static async Task<Guid> AddRunAsync(ActivityHarness harness)
    {
        var playbook = Playbook.Create("Lead follow-up", harness.Now);
        var version = playbook.AddVersion("blazoros/playbook@1", "{}", harness.Now);
        var run = Run.Start(playbook.Id, version.Id, version.Number, RunTrigger.Manual, "{}", harness.Now);
        await using var db = await harness.Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct);
        db.Playbooks.Add(playbook);
        db.Runs.Add(run);
        await db.SaveChangesAsync(Ct);
        return run.Id;
    }
}
