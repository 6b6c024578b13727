using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory.Vectors;

/// <summary>
/// Recall by meaning over real HTTP (the loopback OpenAI-compatible server's <c>/v1/embeddings</c>, whose embedding counts
/// the concepts a test declares) and a real SQLite file. What must hold: an item is found by meaning when it shares no word
/// with the query; an item matching words and meaning ranks first; a hit found by meaning passes every filter and the
/// reader's scopes exactly as a text hit does; a failing endpoint never fails a search or a write, and loses nothing (items
/// stay pending until it answers); a changed text is embedded again and its old meaning is forgotten; a deleted item is
/// never a hit and its vector goes.
/// </summary>
public sealed class MemoryVectorRecallTests : IAsyncLifetime
{
    private static readonly string[][] Concepts =
    [
        ["invoice", "bill", "invoices", "bills"],
        ["overdue", "late", "unpaid"],
        ["computer", "laptop"],
    ];

    private OpenAiCompatibleServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await OpenAiCompatibleServer.StartAsync();
        _server.EmbeddingConcepts = Concepts;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_query_finds_an_item_by_meaning_that_shares_no_word_with_it()
    {
        await using var store = await StoreAsync();
        var fact = await AddFactAsync(store, "Acme Ltd", "note", "sent us a bill in March");
        await AddFactAsync(store, "Globex", "note", "moved to a new office");

        Assert.Equal(2, await store.Get<MemoryVectorIndexer>().IndexPendingAsync(Ct));

        var hit = Assert.Single(await SearchAsync(store, new MemoryQuery("invoice")));
        Assert.Equal(fact.Id, hit.Id);
        Assert.Equal(MemoryMatch.Meaning, hit.Match);
        Assert.Equal(0, store.Get<MemoryVectorIndexer>().Status.Pending);

        // The same store without embeddings finds nothing: no shared word.
        await using var plain = await TempStore.CreateMigratedAsync();
        await AddFactAsync(plain, "Acme Ltd", "note", "sent us a bill in March");
        Assert.Empty(await SearchAsync(plain, new MemoryQuery("invoice")));
    }

    [Fact]
    public async Task An_item_matching_words_and_meaning_ranks_ahead_of_items_matching_one()
    {
        await using var store = await StoreAsync();
        // Similarities to the query are distinct (1.0 for both, 0.95 for meaningOnly, ~0 for textOnly), so no rank is a tie.
        var meaningOnly = await AddFactAsync(store, "Globex", "note", "bill paid late twice");
        var both = await AddFactAsync(store, "Initech", "note", "overdue invoice reminder");
        var textOnly = await AddFactAsync(store, "Acme Ltd", "office", "moved to Springfield");
        await store.Get<MemoryVectorIndexer>().IndexPendingAsync(Ct);

        var hits = await SearchAsync(store, new MemoryQuery("overdue invoice from acme"));

        Assert.Equal(both.Id, hits[0].Id);
        Assert.Equal(new Dictionary<Guid, string?> { [both.Id] = MemoryMatch.Both, [textOnly.Id] = MemoryMatch.Text, [meaningOnly.Id] = MemoryMatch.Meaning },
            hits.ToDictionary(h => h.Id, h => h.Match));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task Hits_found_by_meaning_pass_the_readable_scopes_and_every_filter()
    {
        await using var store = await StoreAsync();
        var business = await AddFactAsync(store, "Acme Ltd", "note", "unpaid bill", "business");
        var secret = await AddFactAsync(store, "Payroll", "note", "unpaid bill", "private");
        store.Clock.Advance(TimeSpan.FromDays(2));
        var client = await AddFactAsync(store, "Acme Ltd", "note", "bills pile up", "clients:acme");
        var decision = await store.Get<DecisionService>().AddAsync(new NewDecision("Pay the late bill first", Scope: "business"), Operator(store), Ct);
        await store.Get<MemoryVectorIndexer>().IndexPendingAsync(Ct);
        static IEnumerable<Guid> Ids(IReadOnlyList<MemoryHit> hits) => hits.Select(h => h.Id).Order();

        Assert.Equal(4, (await SearchAsync(store, new MemoryQuery("invoice"))).Count);
        Assert.Equal([client.Id], Ids(await SearchAsync(store, new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["clients:*"]) })));
        Assert.Empty(await SearchAsync(store, new MemoryQuery("invoice") { Readable = MemoryScopeSet.None }));
        Assert.DoesNotContain(secret.Id, Ids(await SearchAsync(store, new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["business", "clients:*"]) })));
        Assert.Equal(new[] { business.Id, decision.Id }.Order(), Ids(await SearchAsync(store, new MemoryQuery("invoice", Scope: "business"))));
        Assert.Equal([decision.Id], Ids(await SearchAsync(store, new MemoryQuery("invoice", Type: MemoryItemTypes.Decision))));
        Assert.Equal(new[] { business.Id, client.Id }.Order(), Ids(await SearchAsync(store, new MemoryQuery("invoice") { Subject = "Acme Ltd" })));
        Assert.Equal(new[] { business.Id, secret.Id }.Order(),
            Ids(await SearchAsync(store, new MemoryQuery("invoice") { Until = store.Now.AddDays(-1) })));
        Assert.Equal(new[] { client.Id, decision.Id }.Order(),
            Ids(await SearchAsync(store, new MemoryQuery("invoice") { Since = store.Now.AddDays(-1) })));
    }

    [Fact]
    public async Task An_item_moved_to_another_scope_is_not_found_through_its_old_vector()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var fact = await AddFactAsync(store, "Payroll", "note", "unpaid bill", "business");
        await indexer.IndexPendingAsync(Ct);
        var businessOnly = new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["business"]) };
        Assert.Single(await SearchAsync(store, businessOnly));

        // Moved behind the services' backs: the vector still carries the old scope until the indexer's next pass.
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await using (var db = store.NewContext())
        {
            var now = store.Now;
            await db.Facts.Where(f => f.Id == fact.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Scope, "private").SetProperty(f => f.UpdatedAt, now), Ct);
        }

        Assert.Empty(await SearchAsync(store, businessOnly));
        Assert.Empty(await SearchAsync(store, businessOnly with { Scope = "business" }));
        await indexer.IndexPendingAsync(Ct);
        Assert.Empty(await SearchAsync(store, businessOnly));
        Assert.Equal(fact.Id, Assert.Single(await SearchAsync(store, new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["private"]) })).Id);
    }

    public static TheoryData<string> Failures => ["500", "garbage", "dimensions"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_endpoint_leaves_items_pending_and_search_falls_back_to_full_text(string failure)
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var first = await AddFactAsync(store, "Acme Ltd", "note", "a laptop for the new hire");
        Assert.Equal(1, await indexer.IndexPendingAsync(Ct));

        switch (failure)
        {
            case "500":
                _server.EmbeddingFailure = ScriptedReply.Status(500, """{"error":{"message":"model is loading"}}""");
                break;
            case "garbage":
                _server.EmbeddingFailure = ScriptedReply.Raw("""{"data": "this is not a list of embeddings"}""");
                break;
            default:
                _server.EmbeddingDimensions = 7; // The model behind the endpoint changed shape: vectors no longer compare.
                break;
        }

        var fact = await AddFactAsync(store, "Initech", "note", "unpaid bill from March");
        Assert.Equal(0, await indexer.IndexPendingAsync(Ct));
        Assert.Equal(1, indexer.Status.Pending);
        Assert.NotNull(indexer.Status.LastError);
        await using (var db = store.NewContext())
        {
            Assert.False(await db.Set<MemoryVector>().AnyAsync(v => v.ItemId == fact.Id, Ct));
        }

        // Words still find it; meaning is not asked for without an answer, and the caller sees no error.
        var hit = Assert.Single(await SearchAsync(store, new MemoryQuery("bill")));
        Assert.Equal((fact.Id, MemoryMatch.Text), (hit.Id, hit.Match));
        Assert.Empty(await SearchAsync(store, new MemoryQuery("computer")));
        Assert.Equal(first.Id, Assert.Single(await SearchAsync(store, new MemoryQuery("laptop"))).Id);

        // The endpoint is back: nothing was lost.
        _server.EmbeddingFailure = null;
        _server.EmbeddingDimensions = null;
        Assert.Equal(1, await indexer.IndexPendingAsync(Ct));
        Assert.Equal((0, null), (indexer.Status.Pending, indexer.Status.LastError));
        Assert.Equal(fact.Id, Assert.Single(await SearchAsync(store, new MemoryQuery("invoice"))).Id);
    }

    [Fact]
    public async Task A_text_the_endpoint_refuses_does_not_hold_back_the_others_in_its_batch()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var before = await AddFactAsync(store, "Acme Ltd", "note", "sent a bill in March");
        var refused = await AddFactAsync(store, "Globex", "note", "OVERSIZED bill of lading scan");
        var after = await AddFactAsync(store, "Initech", "note", "invoice for the laptop");
        _server.EmbeddingRefuses = "OVERSIZED";

        await indexer.IndexPendingAsync(Ct);

        await using (var db = store.NewContext())
        {
            Assert.Equal([before.Id, after.Id], (await db.Set<MemoryVector>().Select(v => v.ItemId).ToListAsync(Ct)).Order());
        }

        Assert.Equal((0, null), (indexer.Status.Pending, indexer.Status.LastError));
        var hits = await SearchAsync(store, new MemoryQuery("invoice"));
        Assert.Contains(hits, h => h.Id == before.Id && h.Match == MemoryMatch.Meaning);
        Assert.Equal(MemoryMatch.Text, Assert.Single(await SearchAsync(store, new MemoryQuery("lading"))).Match);
        Assert.Equal(0, await indexer.IndexPendingAsync(Ct));
    }

    [Fact]
    public async Task A_changed_text_is_embedded_again_and_its_old_meaning_is_forgotten()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var fact = await AddFactAsync(store, "Acme Ltd", "note", "unpaid bill");
        await indexer.IndexPendingAsync(Ct);
        Assert.Single(await SearchAsync(store, new MemoryQuery("invoice")));

        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await store.Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create("asked for a laptop"), Reason: "new request"),
            Operator(store), Ct);

        // Until the new text is embedded, the stale vector is not used.
        Assert.Empty(await SearchAsync(store, new MemoryQuery("invoice")));
        var requests = _server.EmbeddingRequests;
        Assert.Equal(1, await indexer.IndexPendingAsync(Ct));
        Assert.True(_server.EmbeddingRequests > requests);

        Assert.Empty(await SearchAsync(store, new MemoryQuery("invoice")));
        var hit = Assert.Single(await SearchAsync(store, new MemoryQuery("computer")));
        Assert.Equal((fact.Id, MemoryMatch.Meaning), (hit.Id, hit.Match));
    }

    [Fact]
    public async Task A_change_that_keeps_the_text_is_not_embedded_again()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var fact = await AddFactAsync(store, "Acme Ltd", "note", "unpaid bill");
        await indexer.IndexPendingAsync(Ct);

        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await store.Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create("unpaid bill"), Confidence: 0.5, Reason: "less sure"),
            Operator(store), Ct);
        var requests = _server.EmbeddingRequests;
        await indexer.IndexPendingAsync(Ct);

        Assert.Equal(requests, _server.EmbeddingRequests);
        Assert.Equal(0, indexer.Status.Pending);
        Assert.Equal(fact.Id, Assert.Single(await SearchAsync(store, new MemoryQuery("invoice"))).Id);
    }

    [Fact]
    public async Task A_deleted_item_is_never_a_hit_and_its_vector_is_removed()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var fact = await AddFactAsync(store, "Acme Ltd", "note", "unpaid bill");
        var decision = await store.Get<DecisionService>().AddAsync(new NewDecision("Pay the late bill first"), Operator(store), Ct);
        await indexer.IndexPendingAsync(Ct);
        Assert.Equal(2, (await SearchAsync(store, new MemoryQuery("invoice"))).Count);

        await using (var db = store.NewContext())
        {
            // As retention deletes: straight from the table, behind the services' backs.
            await db.Facts.Where(f => f.Id == fact.Id).ExecuteDeleteAsync(Ct);
            await db.Decisions.Where(d => d.Id == decision.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await SearchAsync(store, new MemoryQuery("invoice")));

        store.Clock.Advance(MemoryVectorIndexer.FullRescanInterval);
        await indexer.IndexPendingAsync(Ct);
        await using (var db = store.NewContext())
        {
            Assert.Equal(0, await db.Set<MemoryVector>().CountAsync(Ct));
        }
    }

    [Fact]
    public async Task Without_an_embeddings_model_recall_is_full_text_only_and_nothing_is_embedded()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        await AddFactAsync(store, "Acme Ltd", "note", "unpaid bill");
        var indexer = store.Get<MemoryVectorIndexer>();

        Assert.False(store.Get<MemoryVectorSearch>().IsEnabled);
        Assert.Equal(0, await indexer.IndexPendingAsync(Ct));
        Assert.False(indexer.Status.Configured);
        Assert.Equal(MemoryMatch.Text, Assert.Single(await SearchAsync(store, new MemoryQuery("bill"))).Match);
        Assert.Null(Assert.Single(await SearchAsync(store, new MemoryQuery(null))).Match);
        Assert.Equal(0, _server.EmbeddingRequests);
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Set<MemoryVector>().CountAsync(Ct));
    }

    private Task<TempStore> StoreAsync() => TempStore.CreateMigratedAsync(
        new ModelEndpoint(null, null, null, null) { EmbeddingModel = "concepts", EmbeddingEndpoint = _server.BaseUrl });

    private static Task<Fact> AddFactAsync(TempStore store, string subject, string predicate, string value, string scope = "business") =>
        store.Get<FactService>().AddAsync(new NewFact(subject, predicate, FactValue.OfText(value), scope, 0.9), Operator(store), Ct);

    private static Task<IReadOnlyList<MemoryHit>> SearchAsync(TempStore store, MemoryQuery query) =>
        store.Get<MemorySearch>().SearchAsync(query, Ct);

    private static Provenance Operator(TempStore store) => Provenance.Of(ProvenanceSource.Operator, "operator", store.Now);
}
