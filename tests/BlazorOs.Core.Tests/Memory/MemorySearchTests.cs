using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// Ranked recall on SQLite's FTS5 index. The index is kept by triggers on Facts, so it must follow every write —
/// through FactService or straight through EF — and survive a VACUUM, which may renumber the rowids of Facts.
/// </summary>
public sealed class MemorySearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fact_is_found_by_a_word_of_its_subject_predicate_or_value()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, "Acme Ltd", "payment terms", "Net 30 days");

        foreach (var words in new[] { "acme", "payment", "days" })
        {
            Assert.Equal(fact.Id, Assert.Single(await SearchAsync(store, words)).Id);
        }

        Assert.Empty(await SearchAsync(store, "globex"));
    }

    [Fact]
    public async Task Changing_a_value_changes_what_search_finds()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, "Acme Ltd", "preferred channel", "email");
        var facts = store.Get<FactService>();

        await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create("telephone")), Operator(store), Ct);

        Assert.Empty(await SearchAsync(store, "email"));
        var hit = Assert.Single(await SearchAsync(store, "telephone"));
        Assert.Equal(("telephone", 2), (hit.Fact!.ValueText, hit.Fact.Revision));
    }

    [Fact]
    public async Task Facts_written_straight_through_EF_are_indexed_updated_and_removed_by_the_triggers()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = Fact.Create("Globex", "office", FactValue.OfText("Springfield"), Operator(store));
        await using (var db = store.NewContext())
        {
            db.Facts.Add(fact);
            await db.SaveChangesAsync(Ct);
        }

        Assert.Single(await SearchAsync(store, "springfield"));

        await using (var db = store.NewContext())
        {
            var stored = await db.Facts.SingleAsync(Ct);
            stored.Change(FactValue.OfText("Shelbyville"), 1, Operator(store), "They moved");
            await db.SaveChangesAsync(Ct);
        }

        Assert.Empty(await SearchAsync(store, "springfield"));
        Assert.Single(await SearchAsync(store, "shelbyville"));

        await using (var db = store.NewContext())
        {
            await db.Facts.Where(f => f.Id == fact.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await SearchAsync(store, "shelbyville globex"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM FactsSearch;"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM FactsSearchRows;"));
    }

    [Fact]
    public async Task Subject_matches_rank_above_value_matches_and_more_matching_words_rank_higher()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var inSubject = await AddAsync(store, "Initech", "industry", "Banking");
        var inValue = await AddAsync(store, "Globex", "supplier", "Initech");
        var twoWords = await AddAsync(store, "Hooli", "supplier", "Initech software");

        var bySubject = await SearchAsync(store, "initech");
        var byWords = await SearchAsync(store, "initech software");

        Assert.Equal(inSubject.Id, bySubject[0].Id);
        Assert.True(bySubject[0].Score > bySubject[1].Score, string.Join(", ", bySubject.Select(h => h.Score)));
        Assert.Equal(twoWords.Id, byWords[0].Id);
        Assert.True(byWords.Single(h => h.Id == twoWords.Id).Score > byWords.Single(h => h.Id == inValue.Id).Score);
    }

    [Fact]
    public async Task Items_holding_every_word_come_first_and_items_holding_some_only_fill_a_short_page()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var every = await AddAsync(store, "Globex", "note", "acme invoice overdue");
        var loud = await AddAsync(store, "Acme Acme", "acme", "acme acme late");
        var search = store.Get<MemorySearch>();

        var page = await search.SearchAsync(new MemoryQuery("acme overdue"), Ct);
        var short1 = await search.SearchAsync(new MemoryQuery("acme overdue", Limit: 1), Ct);
        var none = await search.SearchAsync(new MemoryQuery("acme zebra"), Ct);

        Assert.Equal([every.Id, loud.Id], page.Select(h => h.Id));
        Assert.Equal(every.Id, Assert.Single(short1).Id);
        Assert.Equal(2, none.Count);
        Assert.Equal(loud.Id, none[0].Id);
    }

    [Fact]
    public async Task Beyond_the_rank_window_filters_still_find_old_matches_and_the_newest_common_matches_are_ranked()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var provenance = Operator(store);
        var oldClientFacts = new[] { "Acme", "Acme Ltd", "Acme Corp" }
            .Select(subject => Fact.Create(subject, "note", FactValue.OfText("acme invoice"), provenance, scope: "clients:acme")).ToList();
        var common = Enumerable.Range(0, MemorySearch.RankWindow + 200)
            .Select(i => Fact.Create($"Company {i}", "note", FactValue.OfText("invoice sent"), provenance)).ToList();
        await using (var db = store.NewContext())
        {
            db.Facts.AddRange(oldClientFacts);
            await db.SaveChangesAsync(Ct);
            db.Facts.AddRange(common);
            await db.SaveChangesAsync(Ct);
        }

        var search = store.Get<MemorySearch>();
        var inScope = await search.SearchAsync(new MemoryQuery("invoice", Scope: "clients:acme"), Ct);
        var readable = await search.SearchAsync(new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["clients:*"]) }, Ct);
        var everything = await search.SearchAsync(new MemoryQuery("invoice", Limit: 100), Ct);

        Assert.Equal(oldClientFacts.Select(f => f.Id).Order(), inScope.Select(h => h.Id).Order());
        Assert.Equal(oldClientFacts.Select(f => f.Id).Order(), readable.Select(h => h.Id).Order());
        // "Newest" is the order the index numbered the rows in (EF may insert a batch in key order, not list order).
        HashSet<Guid> newest;
        await using (var db = store.NewContext())
        {
            newest = [.. await db.Database.SqlQueryRaw<Guid>(
                "SELECT FactId AS Value FROM FactsSearchRows ORDER BY RowId DESC LIMIT {0}", MemorySearch.RankWindow).ToListAsync(Ct)];
        }

        Assert.DoesNotContain(oldClientFacts, f => newest.Contains(f.Id));
        Assert.Equal(100, everything.Count);
        Assert.All(everything, h => Assert.Contains(h.Id, newest));
    }

    [Fact]
    public async Task Needs_review_keeps_only_facts_flagged_by_a_low_confidence_contradiction()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var steady = await AddAsync(store, "Acme", "city", "Lyon");
        var disputed = await AddAsync(store, "Acme", "channel", "email");
        await facts.RememberAsync(new NewFact("Acme", "channel", FactValue.OfText("phone"), Fact.DefaultScope, 0.4), Operator(store), 0.7, Ct);
        await store.Get<DecisionService>().AddAsync(new NewDecision("Call Acme first"), Operator(store), Ct);
        var search = store.Get<MemorySearch>();

        var flagged = await search.SearchAsync(new MemoryQuery("acme") { NeedsReview = true }, Ct);
        var newest = await search.SearchAsync(new MemoryQuery(null) { NeedsReview = true }, Ct);

        Assert.Equal(disputed.Id, Assert.Single(flagged).Id);
        Assert.Equal(disputed.Id, Assert.Single(newest).Id);
        Assert.Equal(3, (await search.SearchAsync(new MemoryQuery("acme"), Ct)).Count);
        Assert.NotEqual(steady.Id, flagged[0].Id);
    }

    [Fact]
    public async Task Search_ignores_case_and_accents_and_longer_words_match_as_prefixes()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var cafe = await AddAsync(store, "Café Müller", "payment-terms", "30 days");

        Assert.Equal(cafe.Id, Assert.Single(await SearchAsync(store, "CAFE muller")).Id);
        Assert.Equal(cafe.Id, Assert.Single(await SearchAsync(store, "pay")).Id);
        Assert.Empty(await SearchAsync(store, "3"));
    }

    [Fact]
    public async Task Query_text_is_never_read_as_search_syntax()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, "Acme", "note", "ships NEAR the port");

        Assert.Equal(fact.Id, Assert.Single(await SearchAsync(store, "\"acme\" OR NEAR(x* -port) ^ AND")).Id);
        Assert.Empty(await SearchAsync(store, "\" * ( ) :"));
    }

    [Fact]
    public async Task A_scope_keeps_facts_of_other_scopes_out()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var client = await AddAsync(store, "Acme", "channel", "email", scope: "clients:acme");
        await AddAsync(store, "Acme", "internal note", "slow payer", scope: "private");
        var search = store.Get<MemorySearch>();

        var hits = await search.SearchAsync(new MemoryQuery("acme", Scope: "clients:acme"), Ct);

        Assert.Equal(client.Id, Assert.Single(hits).Id);
        Assert.Equal(2, (await search.SearchAsync(new MemoryQuery("acme"), Ct)).Count);
    }

    [Fact]
    public async Task Without_words_the_newest_facts_come_first_unscored()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var older = await AddAsync(store, "Acme", "channel", "email");
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await AddAsync(store, "Globex", "channel", "phone");

        var hits = await store.Get<MemorySearch>().SearchAsync(new MemoryQuery(Q: null, Limit: 5), Ct);

        Assert.Equal([newer.Id, older.Id], hits.Select(h => h.Id));
        Assert.All(hits, h => Assert.Null(h.Score));
        Assert.All(hits, h => Assert.Equal("fact", h.Type));
    }

    [Fact]
    public async Task A_bad_type_scope_limit_or_query_is_refused_naming_each_field()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => store.Get<MemorySearch>()
            .SearchAsync(new MemoryQuery(new string('a', MemorySearch.MaxQueryLength + 1), "gossip", "Clients Team", 0), Ct));

        Assert.Equal(["q", "type", "scope", "limit"], refused.Problems.Select(p => p.Field));
    }

    [Fact]
    public async Task The_index_still_points_at_the_right_facts_after_a_vacuum()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = new List<Fact>();
        for (var i = 0; i < 20; i++)
        {
            facts.Add(await AddAsync(store, $"Company {i}", "city", $"town{i}"));
        }

        await using (var db = store.NewContext())
        {
            await db.Facts.Where(f => f.Subject.StartsWith("Company 1")).ExecuteDeleteAsync(Ct);
        }

        await store.Get<DatabaseMaintenance>().VacuumAsync(Ct);
        await store.Get<FactService>().ChangeAsync(facts[5].Id, new FactChange(JsonValue.Create("harbourtown")), Operator(store), Ct);

        Assert.Equal(facts[5].Id, Assert.Single(await SearchAsync(store, "harbourtown")).Id);
        Assert.Empty(await SearchAsync(store, "town5"));
        Assert.Equal(facts[7].Id, Assert.Single(await SearchAsync(store, "town7")).Id);
    }

    [Fact]
    public async Task Facts_stored_before_the_search_migration_are_indexed_and_get_their_first_revision()
    {
        await using var store = TempStore.Create();
        Directory.CreateDirectory(store.DataFolder);
        const string before = "20261125083825_Engine";
        await using (var db = store.NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(before, Ct);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO Provenance (Id, Source, Actor, At) VALUES ('0193A2B4-0000-7000-8000-000000000001', 'Import', 'crm.csv', '2026-11-01 10:00:00');
                INSERT INTO Facts (Id, Subject, Predicate, ValueKind, ValueText, Confidence, Scope, ProvenanceId, Revision, CreatedAt, UpdatedAt)
                VALUES ('0193A2B4-0000-7000-8000-000000000002', 'Initech', 'industry', 'Text', 'Software', 1.0, 'business',
                        '0193A2B4-0000-7000-8000-000000000001', 1, '2026-11-01 10:00:00', '2026-11-01 10:00:00');
                """, Ct);
        }

        await store.MigrateAsync();

        var id = Guid.Parse("0193A2B4-0000-7000-8000-000000000002");
        Assert.Equal(id, Assert.Single(await SearchAsync(store, "software")).Id);
        var revision = Assert.Single((await store.Get<FactService>().RevisionsAsync(id, Ct))!);
        Assert.Equal((1, (FactValue?)null, FactValue.OfText("Software"), "crm.csv"),
            (revision.Number, revision.OldValue, revision.NewValue, revision.Provenance!.Actor));
    }

    internal static Provenance Operator(TempStore store) => Provenance.Of(ProvenanceSource.Operator, "operator", store.Now);

    private static Task<Fact> AddAsync(TempStore store, string subject, string predicate, string value, string scope = Fact.DefaultScope) =>
        store.Get<FactService>().AddAsync(new NewFact(subject, predicate, FactValue.OfText(value), scope, 1.0), Operator(store), Ct);

    private static Task<IReadOnlyList<MemoryHit>> SearchAsync(TempStore store, string words) =>
        store.Get<MemorySearch>().SearchAsync(new MemoryQuery(words), Ct);
}
