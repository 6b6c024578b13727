using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// Decisions, records and summaries are found by ranked full-text search as facts are: the FTS5 index follows every insert,
/// update and delete (triggers, so writes that bypass the services count too), and the filters (type, scope, subject,
/// time) hold inside the ranked query.
/// </summary>
public sealed class MemoryItemSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_decision_is_indexed_on_insert_follows_its_changes_and_leaves_the_index_on_delete()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var decisions = store.Get<DecisionService>();
        var decision = await decisions.AddAsync(new NewDecision("Switch payroll to Zenpay", "Cheaper by a third", ["stay with Paychex"]), Operator(store), Ct);

        Assert.Equal(decision.Id, Assert.Single(await SearchAsync(store, "zenpay")).Id);
        Assert.Single(await SearchAsync(store, "paychex"));

        await decisions.ChangeAsync(decision.Id, new DecisionChange("Switch payroll to Gusto", "Zenpay lacks EU support", Reason: "new facts"), Operator(store), Ct);

        Assert.Empty(await SearchAsync(store, "paychex"));
        Assert.Equal("decision", Assert.Single(await SearchAsync(store, "gusto")).Type);

        await using (var db = store.NewContext())
        {
            await db.Decisions.Where(d => d.Id == decision.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await SearchAsync(store, "gusto zenpay"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM MemoryItemsSearch;"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM MemoryItemsSearchRows;"));
    }

    [Fact]
    public async Task A_record_is_found_by_its_values_not_its_field_names_and_follows_changes_and_deletes()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var records = store.Get<RecordService>();
        var contact = await records.AddAsync("contact", new JsonObject { ["name"] = "Ana Ruiz", ["email"] = "ana@vandelay.example", ["role"] = "buyer" },
            "clients", Operator(store), Ct);

        Assert.Equal(contact.Id, Assert.Single(await SearchAsync(store, "vandelay")).Id);
        Assert.Empty(await SearchAsync(store, "email"));
        Assert.Single(await SearchAsync(store, "contact ruiz"));

        await records.ChangeAsync(contact.Id, new JsonObject { ["name"] = "Ana Ruiz", ["role"] = "director" }, Operator(store), "promoted", cancellationToken: Ct);

        Assert.Empty(await SearchAsync(store, "buyer"));
        Assert.Single(await SearchAsync(store, "director"));

        await using (var db = store.NewContext())
        {
            await db.Records.Where(r => r.Id == contact.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await SearchAsync(store, "ruiz"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM MemoryItemsSearchRows;"));
    }

    [Fact]
    public async Task A_summary_is_indexed_on_insert_and_update_and_leaves_on_delete()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var summary = Summary.Create("Run of Lead follow-up", "Decided to send the Wonka proposal; outcome sent.", store.Now.AddDays(-2), store.Now,
            MemoryItemTypes.Trace, 12, SummaryMethod.Extractive, "business", Operator(store));
        await using (var db = store.NewContext())
        {
            db.Summaries.Add(summary);
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal("summary", Assert.Single(await SearchAsync(store, "wonka")).Type);

        await store.ScalarAsync($"UPDATE Summaries SET Text = 'Decided to drop Wonka for Oompa' WHERE Id = '{summary.Id.ToString().ToUpperInvariant()}';");
        Assert.Single(await SearchAsync(store, "oompa"));

        await store.ScalarAsync("DELETE FROM Summaries;");
        Assert.Empty(await SearchAsync(store, "wonka oompa"));
    }

    [Fact]
    public async Task Results_across_types_rank_by_relevance_and_filters_hold_inside_the_ranked_query()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var umbrella = await facts.AddAsync(new NewFact("Umbrella", "segment", FactValue.OfText("pharma"), "clients:umbrella", 1), Operator(store), Ct);
        store.Clock.Advance(TimeSpan.FromDays(3));
        await store.Get<DecisionService>().AddAsync(new NewDecision("Pause Umbrella outreach", "Umbrella asked for a pause", Scope: "clients:umbrella"),
            Operator(store), Ct);
        await store.Get<RecordService>().AddAsync("company", new JsonObject { ["name"] = "Umbrella", ["industry"] = "pharma" }, "private", Operator(store), Ct);
        var search = store.Get<MemorySearch>();

        var all = await search.SearchAsync(new MemoryQuery("umbrella"), Ct);
        Assert.Equal(3, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score));

        Assert.Equal(["record"], (await search.SearchAsync(new MemoryQuery("umbrella", Type: "record"), Ct)).Select(h => h.Type));
        Assert.Equal(["decision", "fact"], (await search.SearchAsync(new MemoryQuery("umbrella", Scope: "clients:umbrella"), Ct)).Select(h => h.Type).Order());
        Assert.Equal(["decision", "fact"], (await search.SearchAsync(new MemoryQuery("umbrella") { Readable = MemoryScopeSet.Of(["clients:*"]) }, Ct))
            .Select(h => h.Type).Order());
        Assert.Equal(["fact", "record"], (await search.SearchAsync(new MemoryQuery("umbrella") { Subject = "Umbrella" }, Ct)).Select(h => h.Type).Order());
        Assert.Equal(umbrella.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("umbrella") { Until = store.Now.AddDays(-1) }, Ct)).Id);
        Assert.Equal(2, (await search.SearchAsync(new MemoryQuery(null) { Since = store.Now.AddDays(-1) }, Ct)).Count);
    }

    [Fact]
    public async Task A_filtered_search_finds_the_best_match_of_the_scope_even_when_it_ranks_below_many_others()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        // 60 business facts rank above the one private fact (the word is in their subject); the private one is found
        // although it lies beyond the first 50 best matches that a filtered search looks through first.
        for (var i = 0; i < 60; i++)
        {
            await facts.AddAsync(new NewFact($"Tyrell {i}", "note", FactValue.OfText("replicant"), "business", 1), Operator(store), Ct);
        }

        var hidden = await facts.AddAsync(new NewFact("Wallace", "note", FactValue.OfText("bought tyrell"), "private", 1), Operator(store), Ct);
        var search = store.Get<MemorySearch>();

        Assert.Equal(hidden.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("tyrell", Scope: "private", Limit: 1), Ct)).Id);
        var business = await search.SearchAsync(new MemoryQuery("tyrell", Scope: "business", Limit: 3), Ct);
        Assert.Equal(3, business.Count);
        Assert.All(business, h => Assert.Equal("business", h.Scope));
    }

    [Fact]
    public async Task Decision_and_record_changes_are_revisions_with_old_and_new_content_who_and_why()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var decisions = store.Get<DecisionService>();
        var decision = await decisions.AddAsync(new NewDecision("Hire a contractor", DecidedBy: DecisionMaker.Agent), Operator(store), Ct);
        Provenance Agent() => Provenance.Of(ProvenanceSource.Agent, "playbook: hiring", store.Now, nodeId: "decide");
        await decisions.ChangeAsync(decision.Id, new DecisionChange("Hire full-time", "Work is ongoing", ["contractor"], "Scope grew", Revision: 1), Agent(), Ct);
        await decisions.ChangeAsync(decision.Id, new DecisionChange("Hire full-time", "Work is ongoing", ["contractor"]), Agent(), Ct);

        var revisions = (await decisions.RevisionsAsync(decision.Id, Ct))!;
        Assert.Equal([1, 2], revisions.Select(r => r.Number));
        Assert.Null(revisions[0].OldJson);
        Assert.Contains("Hire a contractor", revisions[1].OldJson);
        Assert.Contains("Hire full-time", revisions[1].NewJson);
        Assert.Equal(("Scope grew", "decide", decision.ProvenanceId), (revisions[1].Reason, revisions[1].Provenance!.NodeId, revisions[1].OldProvenanceId));
        await Assert.ThrowsAsync<FactConflictException>(() => decisions.ChangeAsync(decision.Id, new DecisionChange("Hire two", Revision: 1), Agent(), Ct));

        var records = store.Get<RecordService>();
        var deal = await records.AddAsync("deal", new JsonObject { ["name"] = "Wayne renewal", ["stage"] = "lead", ["amount"] = "12000 usd" }, null,
            Operator(store), Ct);
        Assert.Equal(12000m, deal.Values["amount"]!["amount"]!.GetValue<decimal>());
        await records.ChangeAsync(deal.Id, new JsonObject { ["name"] = "Wayne renewal", ["stage"] = "won", ["amount"] = "12000 USD" }, Agent(), "signed",
            cancellationToken: Ct);
        var history = (await records.RevisionsAsync(deal.Id, Ct))!;
        Assert.Equal(2, history.Count);
        Assert.Contains("\"lead\"", history[1].OldJson);
        Assert.Contains("\"won\"", history[1].NewJson);
    }

    [Fact]
    public async Task A_record_that_breaks_its_schema_is_refused_naming_every_field()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var records = store.Get<RecordService>();

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => records.AddAsync("project",
            new JsonObject { ["status"] = "dreaming", ["due"] = "next week", ["budget"] = 12, ["client"] = "Acme", ["colour"] = "red" },
            "Not A Scope", Operator(store), Ct));

        Assert.Equal(["budget", "colour", "due", "name", "scope", "status"], error.Problems.Select(p => p.Field).Order());
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Records.CountAsync(Ct));
        Assert.Equal(["company", "contact", "deal", "project"], await db.RecordTypes.Where(t => t.IsBuiltIn).Select(t => t.Name).OrderBy(n => n).ToListAsync(Ct));
    }

    [Fact]
    public async Task An_operator_defined_type_validates_its_own_fields()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var records = store.Get<RecordService>();
        await records.SaveTypeAsync(new RecordTypeInput("vendor", "Vendor",
        [
            new RecordField("name", RecordFieldKind.Text, Required: true),
            new RecordField("site", RecordFieldKind.Url),
            new RecordField("tier", RecordFieldKind.Choice, Choices: ["gold", "silver"]),
            new RecordField("since", RecordFieldKind.Date),
        ]), Ct);

        var vendor = await records.AddAsync("vendor", new JsonObject { ["name"] = "Soylent", ["site"] = "https://soylent.example", ["tier"] = "GOLD" }, null,
            Operator(store), Ct);
        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => records.AddAsync("vendor",
            new JsonObject { ["name"] = "Bad", ["site"] = "ftp://x", ["tier"] = "bronze", ["since"] = "2026-13-01" }, null, Operator(store), Ct));

        Assert.Equal("gold", vendor.Values["tier"]!.GetValue<string>());
        Assert.Equal(["since", "site", "tier"], error.Problems.Select(p => p.Field).Order());
        await Assert.ThrowsAsync<MemoryValidationException>(() => records.SaveTypeAsync(new RecordTypeInput("Bad Name", "", []), Ct));
    }

    private static Provenance Operator(TempStore store) => Provenance.Of(ProvenanceSource.Operator, "operator", store.Now);

    private static Task<IReadOnlyList<MemoryHit>> SearchAsync(TempStore store, string words) =>
        store.Get<MemorySearch>().SearchAsync(new MemoryQuery(words), Ct);
}
