using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorOs.Core.Tests.Memory.Vectors;

/// <summary>
/// The in-memory vector index behind recall by meaning, on a real SQLite file with the loopback embeddings server as the
/// configured model. What must hold: after the exact re-rank, the nearest items are exactly those a brute-force scan of
/// every stored vector finds, with and without filters (its int8 scores only choose whom to re-rank); vectors written,
/// re-embedded or deleted after the index was loaded are reflected without a restart.
/// </summary>
public sealed class MemoryVectorIndexTests : IAsyncLifetime
{
    private const int Dimensions = 128;
    private const string Model = "concepts";

    private OpenAiCompatibleServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await OpenAiCompatibleServer.StartAsync();
        _server.EmbeddingConcepts = [["invoice", "bill"], ["computer", "laptop"]];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task After_re_ranking_the_nearest_items_are_exactly_those_of_a_brute_force_scan()
    {
        await using var store = await StoreAsync();
        var random = new Random(7);
        var topics = Enumerable.Range(0, 4).Select(_ => RandomUnit(random)).ToArray();
        string[] scopes = ["business", "private", "clients:acme", "clients:globex", "clientsx"];
        var items = new List<(Guid Id, string Scope, DateTime At, float[] Vector)>();
        await using (var db = store.NewContext())
        {
            for (var i = 0; i < 300; i++)
            {
                store.Clock.Advance(TimeSpan.FromHours(1));
                var fact = await AddFactAsync(store, $"Subject {i % 3}", $"note {i}", scopes[i % scopes.Length]);
                var vector = NearTopic(random, topics[i % topics.Length]);
                items.Add((fact.Id, fact.Scope, fact.UpdatedAt, vector));
                db.Add(MemoryVector.Create(new MemoryItemVersion(MemoryItemTypes.Fact, fact.Id, fact.UpdatedAt, fact.Scope, fact.Subject),
                    Model, "hash", vector, store.Now));
            }

            await db.SaveChangesAsync(Ct);
        }

        var middle = items[150].At;
        var filters = new (MemoryQuery Query, Func<(Guid Id, string Scope, DateTime At, float[] Vector), bool> Passes)[]
        {
            (new MemoryQuery("q"), _ => true),
            (new MemoryQuery("q") { Readable = MemoryScopeSet.Of(["clients:*"]) }, i => i.Scope.StartsWith("clients:", StringComparison.Ordinal)),
            (new MemoryQuery("q", Scope: "business"), i => i.Scope == "business"),
            (new MemoryQuery("q") { Since = middle }, i => i.At >= middle),
            (new MemoryQuery("q") { Until = middle, Readable = MemoryScopeSet.Of(["private", "clients:*"]) },
                i => i.At < middle && i.Scope != "business" && i.Scope != "clientsx"),
        };
        var search = store.Get<MemoryVectorSearch>();
        await using var context = store.NewContext();
        for (var q = 0; q < 12; q++)
        {
            var query = NearTopic(random, topics[q % topics.Length]);
            var (filter, passes) = filters[q % filters.Length];
            var expected = items.Where(passes)
                .Select(i => (i.Id, Similarity: Dot(i.Vector, query)))
                .Where(i => i.Similarity >= MemoryVectorSearch.MinSimilarity)
                .OrderByDescending(i => i.Similarity)
                .Take(10)
                .Select(i => i.Id)
                .ToList();

            var found = await search.NearestAsync(context, filter, MemoryItemTypes.Items, query, 10, Ct);

            Assert.Equal(10, expected.Count);
            Assert.Equal(expected, found!.Select(f => f.Id));
        }

        Assert.Equal(300, store.Get<MemoryVectorIndex>().Count);
    }

    [Fact]
    public async Task Vectors_written_changed_and_deleted_after_the_load_are_reflected_without_a_restart()
    {
        await using var store = await StoreAsync();
        var indexer = store.Get<MemoryVectorIndexer>();
        var index = store.Get<MemoryVectorIndex>();
        var bill = await AddFactAsync(store, "Acme Ltd", "unpaid bill");
        await indexer.IndexPendingAsync(Ct);
        Assert.Equal([bill.Id], await IdsAsync(store, "invoice"));
        Assert.Equal(1, index.Count);

        // Written after the load.
        var laptop = await AddFactAsync(store, "Globex", "a laptop for the new hire");
        await indexer.IndexPendingAsync(Ct);
        Assert.Equal([laptop.Id], await IdsAsync(store, "computer"));

        // Re-embedded: the bill is now about a laptop, and no longer found as an invoice.
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await store.Get<FactService>().ChangeAsync(bill.Id, new FactChange(JsonValue.Create("asked for a laptop"), Reason: "new request"),
            Operator(store), Ct);
        await indexer.IndexPendingAsync(Ct);
        Assert.Empty(await IdsAsync(store, "invoice"));
        Assert.Equal(new[] { bill.Id, laptop.Id }.Order(), (await IdsAsync(store, "computer")).Order());

        // Moved to another scope: the index's copy follows, so a reader of the new scope finds it by meaning.
        store.Clock.Advance(TimeSpan.FromMinutes(1));
        await using (var db = store.NewContext())
        {
            var now = store.Now;
            await db.Facts.Where(f => f.Id == laptop.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Scope, "private").SetProperty(f => f.UpdatedAt, now), Ct);
        }

        await indexer.IndexPendingAsync(Ct);
        Assert.Equal([laptop.Id], await IdsAsync(store, "computer", MemoryScopeSet.Of(["private"])));

        // Deleted: gone from the index at the next rescan.
        await using (var db = store.NewContext())
        {
            await db.Facts.Where(f => f.Id == laptop.Id).ExecuteDeleteAsync(Ct);
        }

        store.Clock.Advance(MemoryVectorIndexer.FullRescanInterval);
        await indexer.IndexPendingAsync(Ct);
        Assert.Equal(1, index.Count);
        Assert.Equal([bill.Id], await IdsAsync(store, "computer"));
    }

    [Fact]
    public async Task Searches_running_while_vectors_are_written_always_see_what_was_there_before()
    {
        await using var store = await StoreAsync();
        var index = store.Get<MemoryVectorIndex>();
        Assert.True(await index.LoadAsync());
        var random = new Random(11);
        var known = RandomUnit(random);
        var knownId = Guid.NewGuid();
        index.Upsert(new MemoryItemVersion(MemoryItemTypes.Fact, knownId, store.Now, "business", "Acme Ltd"), known);
        var others = Enumerable.Range(0, 5000).Select(_ => RandomUnit(random)).ToList();

        var writer = Task.Run(() =>
        {
            foreach (var other in others)
            {
                var item = new MemoryItemVersion(MemoryItemTypes.Fact, Guid.NewGuid(), store.Now, "business", null);
                index.Upsert(item, other);
                index.Confirm(item with { Scope = "private" });
            }
        }, Ct);
        var searches = 0;
        while (!writer.IsCompleted || searches == 0)
        {
            var found = index.Nearest(known, new MemoryQuery("q", Scope: "business"), MemoryItemTypes.Items, 5, MemoryVectorSearch.MinSimilarity);
            Assert.Equal(knownId, found[0].Id);
            searches++;
        }

        await writer;
        Assert.Equal(5001, index.Count);
    }

    [Fact]
    public async Task Without_an_index_within_the_budget_search_scans_the_store_and_the_filters_still_hold()
    {
        await using var store = await StoreAsync();
        var fact = await AddFactAsync(store, "Acme Ltd", "unpaid bill");
        await AddFactAsync(store, "Payroll", "unpaid bill", "private");
        await store.Get<MemoryVectorIndexer>().IndexPendingAsync(Ct);
        var embedder = store.Get<MemoryEmbedder>();
        using var index = new MemoryVectorIndex(store.Get<IDbContextFactory<BlazorOsDbContext>>(), embedder, NullLogger<MemoryVectorIndex>.Instance)
        {
            Budget = 1,
        };

        Assert.False(await index.LoadAsync());
        var query = (await embedder.EmbedAsync(["invoice"], dimensions: null, Ct))[0];
        index.Upsert(new MemoryItemVersion(MemoryItemTypes.Fact, Guid.NewGuid(), store.Now, "business", null), query);
        Assert.Equal(0, index.Count); // A refused index does not grow through the indexer's writes.

        var search = new MemoryVectorSearch(embedder, index, NullLogger<MemoryVectorSearch>.Instance);
        await using var db = store.NewContext();
        var found = await search.NearestAsync(db, new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["business"]) },
            MemoryItemTypes.Items, query, 10, Ct);
        Assert.Equal([fact.Id], found!.Select(f => f.Id));
    }

    private Task<TempStore> StoreAsync() => TempStore.CreateMigratedAsync(
        new ModelEndpoint(null, null, null, null) { EmbeddingModel = Model, EmbeddingEndpoint = _server.BaseUrl });

    private static async Task<List<Guid>> IdsAsync(TempStore store, string q, MemoryScopeSet? readable = null) =>
        [.. (await store.Get<MemorySearch>().SearchAsync(new MemoryQuery(q) { Readable = readable ?? MemoryScopeSet.All }, Ct))
            .Where(h => h.Match != MemoryMatch.Text).Select(h => h.Id)];

    private static Task<Fact> AddFactAsync(TempStore store, string subject, string value, string scope = "business") =>
        store.Get<FactService>().AddAsync(new NewFact(subject, "note", FactValue.OfText(value), scope, 0.9), Operator(store), Ct);

    private static Provenance Operator(TempStore store) => Provenance.Of(ProvenanceSource.Operator, "operator", store.Now);

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>Near a topic: cosines to a query near the same topic spread around 0.6, so many pass the floor.</summary>
    private static float[] NearTopic(Random random, float[] topic)
    {
        var noise = RandomUnit(random);
        return Unit([.. topic.Zip(noise, (t, n) => t + (0.8f * n))]);
    }

    private static float[] RandomUnit(Random random) =>
        Unit([.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))]);

    private static float[] Unit(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }
}
