using BlazorOs.Core.Agents;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using BlazorOs.Core.Tests.Support;
using BlazorOs.Web.Components.Memory;
using BlazorOs.Web.Tests.Support;
using Bunit;
using MudBlazor;

namespace BlazorOs.Web.Tests.Components.Memory;

/// <summary>An embeddings endpoint on 127.0.0.1 whose vectors count concepts: "invoice" and "bill" mean the same.</summary>
public sealed class ConceptEmbeddingsServer : IAsyncLifetime
{
    private OpenAiCompatibleServer? _server;

    public ModelEndpoint Endpoint => new(null, null, null, null) { EmbeddingModel = "concepts", EmbeddingEndpoint = _server!.BaseUrl };

    public async ValueTask InitializeAsync()
    {
        _server = await OpenAiCompatibleServer.StartAsync();
        _server.EmbeddingConcepts = [["invoice", "bill"], ["late", "overdue"]];
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>With an embeddings model the explorer says it searches by words and meaning, and each hit says how it was found.</summary>
public sealed class MemoryPageRecallTests(ConceptEmbeddingsServer server) : StoreBunitContext(server.Endpoint), IClassFixture<ConceptEmbeddingsServer>
{
    [Fact]
    public async Task A_hit_found_by_meaning_carries_a_meaning_chip_and_one_found_both_ways_a_both_chip()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var facts = Get<FactService>();
        await facts.AddAsync(new NewFact("Acme Ltd", "note", FactValue.OfText("sent a late bill"), "business", 1.0), ProvenanceSource.Operator, "operator", ct);
        await facts.AddAsync(new NewFact("Initech", "note", FactValue.OfText("invoice overdue"), "business", 1.0), ProvenanceSource.Operator, "operator", ct);
        await facts.AddAsync(new NewFact("Globex", "note", FactValue.OfText("new office"), "business", 1.0), ProvenanceSource.Operator, "operator", ct);
        await Get<MemoryVectorIndexer>().IndexPendingAsync(ct);
        Render<MudPopoverProvider>();
        var page = Render<MemoryPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("table tbody tr").Count));
        Assert.Empty(page.FindAll("[data-testid='memory-match']"));

        page.Find("input[placeholder='Search subject, predicate or value']").Input("invoice");

        page.WaitForAssertion(() => Assert.Equal(
            [("Initech · note", "both"), ("Acme Ltd · note", "meaning")],
            page.FindAll("table tbody tr").Select(r => (
                r.QuerySelector("[data-testid='memory-item-link']")!.TextContent.Trim(),
                r.QuerySelector("[data-testid='memory-match']")!.TextContent.Trim()))));
        Assert.Equal("· by words and meaning (concepts)", page.Find("[data-testid='memory-recall']").TextContent.Trim());
    }
}

/// <summary>Without an embeddings model the explorer says that recall is full text only, and shows no match chips.</summary>
public sealed class MemoryPageFullTextOnlyTests : StoreBunitContext
{
    [Fact]
    public async Task A_search_says_it_is_full_text_only()
    {
        await Get<FactService>().AddAsync(new NewFact("Acme Ltd", "note", FactValue.OfText("sent a late bill"), "business", 1.0),
            ProvenanceSource.Operator, "operator", Xunit.TestContext.Current.CancellationToken);
        Render<MudPopoverProvider>();
        var page = Render<MemoryPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("table tbody tr")));
        Assert.Empty(page.FindAll("[data-testid='memory-recall']"));

        page.Find("input[placeholder='Search subject, predicate or value']").Input("bill");

        page.WaitForAssertion(() => Assert.Equal("· full-text only: no embeddings model configured",
            page.Find("[data-testid='memory-recall']").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid='memory-match']"));
        Assert.Empty(await Get<MemorySearch>().SearchAsync(new MemoryQuery("invoice"), Xunit.TestContext.Current.CancellationToken));
    }
}
