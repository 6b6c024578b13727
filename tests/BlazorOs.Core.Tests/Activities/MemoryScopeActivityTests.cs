using System.Text.Json.Nodes;
using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Settings;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Activities;

/// <summary>
/// The memory activities enforce the playbook's declared scopes (a step may read and write only those) and turn a write that
/// contradicts a known fact into a conflict revision that keeps both sources, flagged for review when its confidence is low.
/// </summary>
public sealed class MemoryScopeActivityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly MemoryAccess ClientsOnly = new(MemoryScopeSet.Of(["clients:*"]), MemoryScopeSet.Of(["clients:acme"]));

    [Fact]
    public async Task A_read_returns_only_items_of_the_scopes_the_playbook_may_read()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        await AddFactAsync(harness, "ACME", "prefers-channel", "email", "clients:acme");
        await AddFactAsync(harness, "ACME", "internal-note", "slow payer", "private");
        await AddFactAsync(harness, "ACME", "segment", "enterprise", "clients");
        harness.Memory = ClientsOnly;

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.read", Json.Object("""{ "query": "acme" }""")));

        Assert.Equal(["clients", "clients:acme"], completed.Output!.AsArray().Select(h => h!["scope"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_read_of_a_scope_outside_the_declaration_fails_naming_step_scope_and_what_is_allowed()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        harness.Memory = ClientsOnly;

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("memory.read", Json.Object("""{ "query": "acme", "scope": "private" }"""),
            nodeId: "recall"));

        Assert.False(failed.Retryable);
        Assert.Equal("Step 'recall' may not read memory scope 'private': the playbook's memory.read allows clients:*.", failed.Error);
    }

    [Fact]
    public async Task A_write_outside_the_declared_write_scopes_fails_and_writes_nothing()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        harness.Memory = ClientsOnly;

        var failed = Assert.IsType<ActivityResult.Failed>(await harness.RunAsync("memory.write",
            Json.Object("""{ "subject": "Globex", "predicate": "segment", "value": "smb", "scope": "clients:globex" }"""), nodeId: "remember"));

        Assert.Contains("may not write memory scope 'clients:globex'", failed.Error);
        await using var db = await harness.Get<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.Facts.CountAsync(Ct));
    }

    [Theory]
    [InlineData("Clients Team")]
    [InlineData("clients::acme")]
    [InlineData("-clients")]
    public async Task A_write_scope_that_is_not_a_scope_is_a_settings_problem(string scope)
    {
        await using var harness = ActivityHarness.Create();

        var problems = harness.Activity("memory.write").Validate(new JsonObject
        {
            ["subject"] = "ACME", ["predicate"] = "p", ["value"] = "v", ["scope"] = scope,
        });

        Assert.Equal("scope", Assert.Single(problems).Field);
    }

    [Fact]
    public async Task A_contradicting_write_is_a_conflict_revision_with_both_sources_and_low_confidence_waits_for_review()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        await harness.Get<SettingsStore>().SetReviewBelowConfidenceAsync(0.6, Ct);
        var original = await AddFactAsync(harness, "ACME", "payment-terms-days", "30", "clients");
        var write = """{ "subject": "ACME", "predicate": "payment-terms-days", "value": "45", "scope": "clients", "confidence": 0.5 }""";
        var runId = await MemoryActivityTests.AddRunAsync(harness);

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.write", Json.Object(write), nodeId: "remember", runId: runId));

        Assert.Equal(("contradicted", 2, true), (completed.Output!["outcome"]!.GetValue<string>(), completed.Output["revision"]!.GetValue<int>(),
            completed.Output["needsReview"]!.GetValue<bool>()));
        var facts = harness.Get<FactService>();
        var revisions = (await facts.RevisionsAsync(original.Id, Ct))!;
        var conflict = revisions[^1];
        Assert.True(conflict.IsConflict);
        Assert.Equal(("30", "45"), (conflict.OldText, conflict.NewText));
        Assert.Equal(original.ProvenanceId, conflict.OldProvenanceId);
        Assert.Equal(("remember", ProvenanceSource.Agent, (Guid?)runId), (conflict.Provenance!.NodeId, conflict.Provenance.Source, conflict.Provenance.RunId));
        Assert.Equal(original.Id, Assert.Single(await facts.NeedingReviewAsync(cancellationToken: Ct)).Id);
        Assert.Contains(harness.Trace.Events, e => e.Kind == "memory.write" && e.Level == TraceLevel.Warning && e.Message.Contains("flagged for review"));

        Assert.True(await facts.MarkReviewedAsync(original.Id, Provenance.Of(ProvenanceSource.Operator, "operator", DateTime.UtcNow), Ct));
        Assert.Empty(await facts.NeedingReviewAsync(cancellationToken: Ct));
        var reviewed = (await facts.RevisionsAsync(original.Id, Ct))![^1];
        Assert.Equal((3, "45", ProvenanceSource.Operator), (reviewed.Number, reviewed.NewText, reviewed.Provenance!.Source));
        Assert.Equal(("45", "Reviewed: the current value is accepted"), (reviewed.OldText, reviewed.Reason));
        Assert.Equal(ProvenanceSource.Agent, (await facts.GetAsync(original.Id, Ct))!.Provenance!.Source);
    }

    [Fact]
    public async Task A_confident_contradiction_is_recorded_but_not_flagged_and_the_same_value_again_stores_nothing()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        var original = await AddFactAsync(harness, "ACME", "payment-terms-days", "30", "clients");
        var write = """{ "subject": "ACME", "predicate": "payment-terms-days", "value": "45", "scope": "clients", "confidence": 0.95 }""";
        var runId = await MemoryActivityTests.AddRunAsync(harness);

        await harness.RunAsync("memory.write", Json.Object(write), nodeId: "first", runId: runId, activation: Guid.CreateVersion7());
        var again = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.write", Json.Object(write), nodeId: "second",
            runId: runId, activation: Guid.CreateVersion7()));

        Assert.Equal("unchanged", again.Output!["outcome"]!.GetValue<string>());
        var revisions = (await harness.Get<FactService>().RevisionsAsync(original.Id, Ct))!;
        Assert.Equal([false, true], revisions.Select(r => r.IsConflict));
        Assert.Empty(await harness.Get<FactService>().NeedingReviewAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task A_read_of_any_type_ranks_decisions_and_records_with_facts()
    {
        await using var harness = await ActivityHarness.CreateWithStoreAsync();
        await AddFactAsync(harness, "Initech", "segment", "enterprise", "business");
        await harness.Get<DecisionService>().AddAsync(new NewDecision("Offer Initech a pilot", "Initech asked twice for a trial",
            ["discount", "walk away"]), Operator(harness), Ct);
        await harness.Get<RecordService>().AddAsync("company", new JsonObject { ["name"] = "Initech", ["industry"] = "software" }, "business",
            Operator(harness), Ct);

        var completed = Assert.IsType<ActivityResult.Completed>(await harness.RunAsync("memory.read",
            Json.Object("""{ "query": "initech", "type": "any" }""")));

        Assert.Equal(["decision", "fact", "record"], completed.Output!.AsArray().Select(h => h!["type"]!.GetValue<string>()).Order());
        var record = completed.Output.AsArray().Single(h => h!["type"]!.GetValue<string>() == "record")!;
        Assert.Equal(("company", "software"), (record["recordType"]!.GetValue<string>(), record["values"]!["industry"]!.GetValue<string>()));
    }

    private static Provenance Operator(ActivityHarness harness) => Provenance.Of(ProvenanceSource.Operator, "operator", harness.Now);

    private static Task<Fact> AddFactAsync(ActivityHarness harness, string subject, string predicate, string value, string scope) =>
        harness.Get<FactService>().AddAsync(new NewFact(subject, predicate, FactValue.OfText(value), scope, 1), Operator(harness), Ct);
}
