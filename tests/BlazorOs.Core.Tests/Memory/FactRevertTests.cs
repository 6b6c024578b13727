using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// A revert never rewrites history: it brings back an earlier revision's value and confidence as the next revision, with
/// the reverter's provenance and a reason that names the revision, and search follows it.
/// </summary>
public sealed class FactRevertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_revert_adds_a_revision_with_the_old_value_who_and_why_and_keeps_every_earlier_revision()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var fact = await facts.AddAsync(new NewFact("Acme", "channel", FactValue.OfText("email"), Fact.DefaultScope, 0.9),
            MemorySearchTests.Operator(store), Ct);
        await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create("fax"), Confidence: 0.3), MemorySearchTests.Operator(store), Ct);
        store.Clock.Advance(TimeSpan.FromHours(1));
        var reverter = Provenance.Of(ProvenanceSource.Api, "operator", store.Now, detail: "API key 'ops'");

        var reverted = await facts.RevertAsync(fact.Id, 1, reverter, "  fax was a guess ", expectedRevision: 2, cancellationToken: Ct);

        Assert.Equal((FactValue.OfText("email"), 0.9, 3, store.Now), (reverted.Value, reverted.Confidence, reverted.Revision, reverted.UpdatedAt));
        var history = (await facts.RevisionsAsync(fact.Id, Ct))!;
        Assert.Equal(["email", "fax", "email"], history.Select(r => r.NewText));
        var last = history[^1];
        Assert.Equal((FactValue.OfText("fax"), 0.3, "Reverted to revision 1: fax was a guess", ProvenanceSource.Api, store.Now),
            (last.OldValue, last.OldConfidence, last.Reason, last.Provenance!.Source, last.Provenance.At));
        var hit = Assert.Single(await store.Get<MemorySearch>().SearchAsync(new MemoryQuery("email"), Ct));
        Assert.Equal(fact.Id, hit.Id);
        Assert.Empty(await store.Get<MemorySearch>().SearchAsync(new MemoryQuery("fax"), Ct));
    }

    [Fact]
    public async Task A_revert_to_a_missing_revision_or_to_the_value_the_fact_has_is_refused_and_stores_nothing()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var fact = await facts.AddAsync(new NewFact("Acme", "channel", FactValue.OfText("email"), Fact.DefaultScope, 1.0),
            MemorySearchTests.Operator(store), Ct);

        var missing = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            facts.RevertAsync(fact.Id, 4, MemorySearchTests.Operator(store), null, cancellationToken: Ct));
        var same = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            facts.RevertAsync(fact.Id, 1, MemorySearchTests.Operator(store), null, cancellationToken: Ct));

        Assert.Equal(("toRevision", "toRevision"), (Assert.Single(missing.Problems).Field, Assert.Single(same.Problems).Field));
        Assert.Equal(1L, await store.ScalarAsync("SELECT count(*) FROM FactRevisions;"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            facts.RevertAsync(Guid.CreateVersion7(), 1, MemorySearchTests.Operator(store), null, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_revert_from_a_stale_revision_is_a_conflict()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var fact = await facts.AddAsync(new NewFact("Acme", "channel", FactValue.OfText("email"), Fact.DefaultScope, 1.0),
            MemorySearchTests.Operator(store), Ct);
        await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create("phone")), MemorySearchTests.Operator(store), Ct);
        await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create("post")), MemorySearchTests.Operator(store), Ct);

        await Assert.ThrowsAsync<FactConflictException>(() =>
            facts.RevertAsync(fact.Id, 1, MemorySearchTests.Operator(store), null, expectedRevision: 2, cancellationToken: Ct));

        Assert.Equal("post", (await facts.GetAsync(fact.Id, Ct))!.ValueText);
    }
}
