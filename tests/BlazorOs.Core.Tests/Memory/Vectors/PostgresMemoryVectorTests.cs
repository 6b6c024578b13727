using System.Text.Json.Nodes;
using BlazorOs.Core.Agents;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using BlazorOs.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BlazorOs.Core.Tests.Memory.PostgresMemorySearchTests;

namespace BlazorOs.Core.Tests.Memory.Vectors;

/// <summary>
/// Recall by meaning on PostgreSQL (the migration's bytea vectors, the in-memory index loaded from them, the confirmation
/// SQL, the indexer's queries), against the server of <c>BLAZOROS_TEST_POSTGRES</c>; skipped without one.
/// </summary>
public sealed class PostgresMemoryVectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_PostgreSQL_meaning_finds_items_within_the_filters_follows_changes_and_ignores_deleted_items()
    {
        await using var server = await OpenAiCompatibleServer.StartAsync();
        server.EmbeddingConcepts = [["invoice", "bill"], ["computer", "laptop"]];
        await using var store = await PostgresStore.CreateAsync(
            new ModelEndpoint(null, null, null, null) { EmbeddingModel = "concepts", EmbeddingEndpoint = server.BaseUrl });
        var facts = store.Services.GetRequiredService<FactService>();
        var search = store.Services.GetRequiredService<MemorySearch>();
        var indexer = store.Services.GetRequiredService<MemoryVectorIndexer>();
        static Provenance Operator() => Provenance.Of(ProvenanceSource.Operator, "operator", DateTime.UtcNow);
        var business = await facts.AddAsync(new FactInput("Acme Ltd", "note", JsonValue.Create("unpaid bill")), Operator(), Ct);
        var client = await facts.AddAsync(new FactInput("Globex", "note", JsonValue.Create("bill disputed"), Scope: "clients:globex"), Operator(), Ct);
        var decision = await store.Services.GetRequiredService<DecisionService>().AddAsync(new NewDecision("Pay the bill first"), Operator(), Ct);

        Assert.Equal(3, await indexer.IndexPendingAsync(Ct));

        Assert.Equal(3, (await search.SearchAsync(new MemoryQuery("invoice"), Ct)).Count);
        var hit = Assert.Single(await search.SearchAsync(new MemoryQuery("invoice") { Readable = MemoryScopeSet.Of(["clients:*"]) }, Ct));
        Assert.Equal((client.Id, MemoryMatch.Meaning), (hit.Id, hit.Match));
        Assert.Equal(business.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("invoice", Scope: "business", Type: "fact"), Ct)).Id);
        Assert.Equal(decision.Id, Assert.Single(await search.SearchAsync(new MemoryQuery("invoice", Type: "decision"), Ct)).Id);
        Assert.Empty(await search.SearchAsync(new MemoryQuery("invoice") { Since = DateTime.UtcNow.AddMinutes(1) }, Ct));

        await facts.ChangeAsync(business.Id, new FactChange(JsonValue.Create("wants a laptop"), Reason: "new request"), Operator(), Ct);
        Assert.Equal(1, await indexer.IndexPendingAsync(Ct));
        var computer = Assert.Single(await search.SearchAsync(new MemoryQuery("computer"), Ct));
        Assert.Equal((business.Id, MemoryMatch.Meaning), (computer.Id, computer.Match));

        await using (var db = await store.Services.GetRequiredService<IDbContextFactory<BlazorOsDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Facts.Where(f => f.Id == client.Id).ExecuteDeleteAsync(Ct);
        }

        Assert.Equal([decision.Id], (await search.SearchAsync(new MemoryQuery("invoice"), Ct)).Select(h => h.Id));
    }
}
