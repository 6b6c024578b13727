using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Playbooks;
using BlazorOs.Core.Tests.Agents;
using BlazorOs.Core.Tests.Support;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// Retention and condensation on a real SQLite file. Invariants: a rule deletes exactly what its preview listed; a rule for a
/// scope shields that scope from its type's general rule; deleting an item takes its revisions and index rows with it;
/// trace events are deleted only after their run has a summary when the rule condenses; every rule applied leaves a log entry.
/// </summary>
public sealed class MemoryJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keep_days_deletes_old_facts_with_revisions_and_index_rows_spares_shielded_scopes_and_matches_its_preview()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var old = await AddFactAsync(store, "Acme", "old-note", "obsolete", "business");
        await facts.ChangeAsync(old.Id, new FactChange(System.Text.Json.Nodes.JsonValue.Create("still obsolete")), Operator(store), Ct);
        var legal = await AddFactAsync(store, "Acme", "contract", "signed", "legal");
        store.Clock.Advance(TimeSpan.FromDays(40));
        var recent = await AddFactAsync(store, "Acme", "new-note", "current", "business");
        var retention = store.Get<MemoryRetention>();
        await retention.SaveRuleAsync(new RetentionRuleInput("fact", null, RetentionMode.KeepDays, 30), Ct);
        await retention.SaveRuleAsync(new RetentionRuleInput("fact", "legal", RetentionMode.KeepForever), Ct);

        var preview = await retention.PreviewAsync(new RetentionRuleInput("fact", null, RetentionMode.KeepDays, 30), cancellationToken: Ct);
        var log = await retention.ApplyAsync(Ct);

        Assert.Equal([old.Id], preview.Sample.Select(c => c.Id));
        await using var db = store.NewContext();
        Assert.Equal([legal.Id, recent.Id], (await db.Facts.Select(f => f.Id).ToListAsync(Ct)).Order());
        Assert.Equal(0, await db.FactRevisions.CountAsync(r => r.FactId == old.Id, Ct));
        Assert.Empty(await store.Get<MemorySearch>().SearchAsync(new MemoryQuery("obsolete"), Ct));
        var general = Assert.Single(log, e => e.Scope == null);
        Assert.Equal((1, "fact"), (general.Deleted, general.ItemType));
        Assert.Contains("keep 30 days", general.Detail);
        Assert.Equal(0, Assert.Single(log, e => e.Scope == "legal").Deleted);
        Assert.Equal(2, (await retention.LogAsync(cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task Keep_latest_keeps_the_newest_decisions_and_deletes_the_rest_with_their_revisions()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var decisions = store.Get<DecisionService>();
        var made = new List<Decision>();
        for (var i = 0; i < 5; i++)
        {
            made.Add(await decisions.AddAsync(new NewDecision($"Decision {i}", $"Because {i}"), Operator(store), Ct));
            store.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var retention = store.Get<MemoryRetention>();
        var input = new RetentionRuleInput("decision", "business", RetentionMode.KeepLatest, 2);
        var preview = await retention.PreviewAsync(input, cancellationToken: Ct);
        await retention.SaveRuleAsync(input, Ct);
        await retention.ApplyAsync(Ct);

        Assert.Equal(3, preview.Count);
        await using var db = store.NewContext();
        Assert.Equal([made[3].Id, made[4].Id], (await db.Decisions.Select(d => d.Id).ToListAsync(Ct)).Order());
        Assert.Equal(2, await db.MemoryRevisions.CountAsync(Ct));
        Assert.Equal(2L, await store.ScalarAsync("SELECT count(*) FROM MemoryItemsSearchRows;"));
        Assert.Equal([made[3].ProvenanceId, made[4].ProvenanceId], (await db.Provenance.Select(p => p.Id).ToListAsync(Ct)).Order());
    }

    [Fact]
    public async Task Deleting_items_deletes_the_provenance_only_they_used_and_keeps_what_others_share()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var shared = Operator(store);
        var old = await facts.AddAsync(new NewFact("Acme", "old-note", FactValue.OfText("obsolete"), "business", 1), shared, Ct);
        var change = Operator(store);
        await facts.ChangeAsync(old.Id, new FactChange(System.Text.Json.Nodes.JsonValue.Create("still obsolete")), change, Ct);
        var alone = await AddFactAsync(store, "Globex", "old-note", "gone too", "business");
        await using (var db = store.NewContext())
        {
            // A second fact from the same write (one step's provenance): the row must outlive the old fact.
            db.Provenance.Attach(shared);
            db.Facts.Add(Fact.Create("Acme", "contract", FactValue.OfText("signed"), shared, scope: "legal"));
            await db.SaveChangesAsync(Ct);
        }

        store.Clock.Advance(TimeSpan.FromDays(40));
        var recent = await AddFactAsync(store, "Acme", "new-note", "current", "business");
        var retention = store.Get<MemoryRetention>();
        await retention.SaveRuleAsync(new RetentionRuleInput("fact", "business", RetentionMode.KeepDays, 30), Ct);
        await using var before = store.NewContext();
        Assert.Equal(4, await before.Provenance.CountAsync(Ct));

        var entry = Assert.Single(await retention.ApplyAsync(Ct));

        Assert.Equal(2, entry.Deleted);
        await using var after = store.NewContext();
        Assert.Equal([shared.Id, recent.ProvenanceId], (await after.Provenance.Select(p => p.Id).ToListAsync(Ct)).Order());
        Assert.DoesNotContain(await after.Provenance.Select(p => p.Id).ToListAsync(Ct), id => id == change.Id || id == alone.ProvenanceId);
        Assert.Null(await store.ScalarAsync("PRAGMA foreign_key_check;"));
    }

    [Fact]
    public async Task A_bad_rule_is_refused_naming_each_field()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => store.Get<MemoryRetention>()
            .SaveRuleAsync(new RetentionRuleInput("fact", "Not A Scope", RetentionMode.KeepDays, 0, RetentionAction.Condense), Ct));

        Assert.Equal(["action", "amount", "scope"], error.Problems.Select(p => p.Field).Order());
    }

    [Fact]
    public async Task Without_a_model_a_condensing_trace_rule_makes_an_extractive_summary_that_keeps_decisions_then_deletes_the_events()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var runId = await SeedEndedRunAsync(store, "Vendor review");
        await store.Get<DecisionService>().AddAsync(new NewDecision("Drop vendor Soylent", "Two late deliveries this quarter", RunId: runId,
            DecidedBy: DecisionMaker.Agent), Operator(store), Ct);
        store.Clock.Advance(TimeSpan.FromDays(10));
        var retention = store.Get<MemoryRetention>();
        await retention.SaveRuleAsync(new RetentionRuleInput("trace", null, RetentionMode.KeepDays, 7, RetentionAction.Condense), Ct);

        var preview = await retention.PreviewAsync(new RetentionRuleInput("trace", null, RetentionMode.KeepDays, 7, RetentionAction.Condense),
            cancellationToken: Ct);
        var entry = Assert.Single(await retention.ApplyAsync(Ct));

        Assert.Equal((1, 5L), (preview.Count, preview.TraceEvents));
        Assert.Equal((5, 1), (entry.Deleted, entry.Summaries));
        await using var db = store.NewContext();
        Assert.Equal(0, await db.TraceEvents.CountAsync(Ct));
        var summary = await db.Summaries.Include(s => s.Provenance).SingleAsync(Ct);
        Assert.Equal((SummaryMethod.Extractive, 5, (Guid?)runId, 0L), (summary.Method, summary.SourceCount, summary.RunId, summary.CostMicros));
        Assert.StartsWith("Extractive summary (no model is configured)", summary.Text);
        Assert.Contains("Drop vendor Soylent — because Two late deliveries this quarter", summary.Text);
        Assert.Contains("approval.answered: Approved by operator: send the notice", summary.Text);
        Assert.Contains("Outcome: completed, dropped", summary.Text);
        Assert.Equal(ProvenanceSource.System, summary.Provenance!.Source);
        Assert.Equal("summary", Assert.Single(await store.Get<MemorySearch>().SearchAsync(new MemoryQuery("soylent", Type: "summary"), Ct)).Type);
    }

    [Fact]
    public async Task With_a_model_the_task_model_writes_the_summary_and_its_cost_is_recorded()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.SetPricesAsync("""{ "task-model": { "inputPerMillion": 1, "outputPerMillion": 2 } }""");
        var runId = await SeedEndedRunAsync(bed.Store, "Vendor review");
        await bed.Store.Get<DecisionService>().AddAsync(new NewDecision("Drop vendor Soylent", "Two late deliveries this quarter", RunId: runId),
            Operator(bed.Store), Ct);
        bed.Server.Enqueue(ScriptedReply.Text("The agent dropped Soylent after two late deliveries; the notice was approved and sent.",
            promptTokens: 400_000, completionTokens: 100_000));
        var condenser = new MemoryCondenser(bed.Store.Get<IDbContextFactory<BlazorOsDbContext>>(), bed.Store.Clock, bed.Invoker);

        var summary = (await condenser.CondenseRunAsync(runId, Ct))!;

        Assert.Equal((SummaryMethod.Model, AgentTestBed.TaskModel), (summary.Method, summary.Model));
        Assert.Equal(600_000L, summary.CostMicros);
        Assert.StartsWith("The agent dropped Soylent", summary.Text);
        var request = Assert.Single(bed.Server.Requests);
        Assert.Equal(MemoryCondenser.SystemPrompt, request.SystemPrompt);
        Assert.Contains("Rationale: Two late deliveries this quarter", request.UserPrompt);
        Assert.Contains("approval.answered: Approved by operator: send the notice", request.UserPrompt);
        // A second pass finds the summary and does not call the model again.
        Assert.Equal(summary.Id, (await condenser.CondenseRunAsync(runId, Ct))!.Id);
        Assert.Single(bed.Server.Requests);
    }

    [Fact]
    public async Task When_the_model_fails_the_summary_is_extractive_and_says_why()
    {
        await using var bed = await AgentTestBed.StartAsync();
        var runId = await SeedEndedRunAsync(bed.Store, "Vendor review");
        bed.Server.Enqueue(ScriptedReply.Status(400, """{"error":{"message":"context too long"}}"""));
        var condenser = new MemoryCondenser(bed.Store.Get<IDbContextFactory<BlazorOsDbContext>>(), bed.Store.Clock, bed.Invoker);

        var summary = (await condenser.CondenseRunAsync(runId, Ct))!;

        Assert.Equal(SummaryMethod.Extractive, summary.Method);
        Assert.StartsWith("Extractive summary (the model failed:", summary.Text);
    }

    [Fact]
    public async Task The_hourly_pass_condenses_runs_that_ended_long_enough_ago_and_leaves_recent_ones()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var old = await SeedEndedRunAsync(store, "Old");
        store.Clock.Advance(TimeSpan.FromDays(8));
        await SeedEndedRunAsync(store, "Recent");

        var (condensed, log) = await store.Get<MemoryRetentionService>().RunOnceAsync(Ct);

        Assert.Equal((1, 0), (condensed, log.Count));
        await using var db = store.NewContext();
        Assert.Equal([(Guid?)old], await db.Summaries.Select(s => s.RunId).ToListAsync(Ct));
        // Condensing alone deletes nothing: pruning is retention's.
        Assert.Equal(10, await db.TraceEvents.CountAsync(Ct));
    }

    internal static async Task<Guid> SeedEndedRunAsync(TempStore store, string playbookName)
    {
        var playbook = Playbook.Create(playbookName, store.Now);
        var version = playbook.AddVersion("blazoros/playbook@1", "{}", store.Now);
        var run = Run.Start(playbook.Id, version.Id, version.Number, RunTrigger.Manual, "{}", store.Now);
        await using var db = store.NewContext();
        db.Playbooks.Add(playbook);
        db.Runs.Add(run);
        var at = store.Now;
        (string? Node, string Kind, string Message)[] events =
        [
            (null, "run.started", "Run started"),
            ("draft", "agent.prompt", "Prompt to the task model (300 characters)"),
            ("draft", "agent.reply", "Drafted a notice to the vendor"),
            ("review", "approval.answered", "Approved by operator: send the notice"),
            (null, "run.completed", "Run completed: dropped"),
        ];
        for (var i = 0; i < events.Length; i++)
        {
            db.TraceEvents.Add(new TraceEvent(run.Id, i + 1, events[i].Kind, events[i].Message, at.AddSeconds(i), events[i].Node));
        }

        run.Complete("dropped", at.AddSeconds(events.Length));
        await db.SaveChangesAsync(Ct);
        return run.Id;
    }

    private static Provenance Operator(TempStore store) => Provenance.Of(ProvenanceSource.Operator, "operator", store.Now);

    private static Task<Fact> AddFactAsync(TempStore store, string subject, string predicate, string value, string scope) =>
        store.Get<FactService>().AddAsync(new NewFact(subject, predicate, FactValue.OfText(value), scope, 1), Operator(store), Ct);
}
