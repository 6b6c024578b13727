using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// A fact's value never changes in place without a trace: every change is a revision with the old and new value, who,
/// when and why, and two writers that read the same revision cannot both store the next one.
/// </summary>
public sealed class FactRevisionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_fact_has_its_creation_as_revision_one()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, FactValue.OfNumber(30));

        var revision = Assert.Single((await store.Get<FactService>().RevisionsAsync(fact.Id, Ct))!);

        Assert.Equal((1, (FactValue?)null, FactValue.OfNumber(30), (double?)null, 1.0), (revision.Number, revision.OldValue,
            revision.NewValue, revision.OldConfidence, revision.NewConfidence));
        Assert.Equal((ProvenanceSource.Operator, "operator", store.Now), (revision.Provenance!.Source, revision.Provenance.Actor, revision.Provenance.At));
    }

    [Fact]
    public async Task A_change_records_old_and_new_value_who_when_and_why()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var fact = await AddAsync(store, FactValue.OfNumber(30));
        store.Clock.Advance(TimeSpan.FromDays(2));
        var byApi = Provenance.Of(ProvenanceSource.Api, "operator", store.Now, detail: "API key 'zapier'");

        var changed = await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create(45), Confidence: 0.9,
            Reason: "  Renegotiated in the March call  ", Revision: 1), byApi, Ct);

        Assert.Equal((2, FactValue.OfNumber(45), 0.9, store.Now), (changed.Revision, changed.Value, changed.Confidence, changed.UpdatedAt));
        var history = (await facts.RevisionsAsync(fact.Id, Ct))!;
        Assert.Equal([1, 2], history.Select(r => r.Number));
        var last = history[^1];
        Assert.Equal((FactValue.OfNumber(30), FactValue.OfNumber(45), 1.0, 0.9, "Renegotiated in the March call"),
            (last.OldValue, last.NewValue, last.OldConfidence, last.NewConfidence, last.Reason));
        Assert.Equal((ProvenanceSource.Api, "operator", store.Now, "API key 'zapier'"),
            (last.Provenance!.Source, last.Provenance.Actor, last.Provenance.At, last.Provenance.Detail));
        var stored = (await facts.GetAsync(fact.Id, Ct))!;
        Assert.Equal((FactValue.OfNumber(45), 2, ProvenanceSource.Api), (stored.Value, stored.Revision, stored.Provenance!.Source));
    }

    [Fact]
    public async Task A_change_may_change_the_kind_and_a_money_value_keeps_its_currency()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, FactValue.OfText("about a thousand"));

        var changed = await store.Get<FactService>().ChangeAsync(fact.Id,
            new FactChange(JsonValue.Create(1200.5m), Kind: "money", Currency: "eur"), MemorySearchTests.Operator(store), Ct);

        Assert.Equal(FactValue.OfMoney(1200.5m, "EUR"), changed.Value);
        var last = (await store.Get<FactService>().RevisionsAsync(fact.Id, Ct))![^1];
        Assert.Equal((FactValue.OfText("about a thousand"), FactValue.OfMoney(1200.5m, "EUR")), (last.OldValue, last.NewValue));
    }

    [Fact]
    public async Task The_same_value_again_stores_no_revision()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, FactValue.OfNumber(30));

        var unchanged = await store.Get<FactService>().ChangeAsync(fact.Id, new FactChange(JsonValue.Create(30)), MemorySearchTests.Operator(store), Ct);

        Assert.Equal(1, unchanged.Revision);
        Assert.Equal(1L, await store.ScalarAsync("SELECT count(*) FROM FactRevisions;"));
    }

    [Fact]
    public async Task A_change_made_from_a_stale_revision_is_a_conflict_and_stores_nothing()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();
        var fact = await AddAsync(store, FactValue.OfNumber(30));
        await facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create(45), Revision: 1), MemorySearchTests.Operator(store), Ct);

        await Assert.ThrowsAsync<FactConflictException>(() =>
            facts.ChangeAsync(fact.Id, new FactChange(JsonValue.Create(60), Revision: 1), MemorySearchTests.Operator(store), Ct));

        Assert.Equal(FactValue.OfNumber(45), (await facts.GetAsync(fact.Id, Ct))!.Value);
        Assert.Equal(2L, await store.ScalarAsync("SELECT count(*) FROM FactRevisions;"));
    }

    [Fact]
    public async Task Two_writers_that_read_the_same_revision_cannot_both_store_the_next()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var fact = await AddAsync(store, FactValue.OfNumber(30));
        await using var first = store.NewContext();
        await using var second = store.NewContext();
        var mine = await first.Facts.SingleAsync(Ct);
        var theirs = await second.Facts.SingleAsync(Ct);
        mine.Change(FactValue.OfNumber(45), 1, MemorySearchTests.Operator(store));
        theirs.Change(FactValue.OfNumber(60), 1, MemorySearchTests.Operator(store));

        await first.SaveChangesAsync(Ct);
        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(Ct));

        await using var read = store.NewContext();
        Assert.Equal((45.0, 2), await read.Facts.Where(f => f.Id == fact.Id).Select(f => ValueTuple.Create(f.ValueNumber!.Value, f.Revision)).SingleAsync(Ct));
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_every_field_and_nothing_is_written()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => store.Get<FactService>().AddAsync(
            new FactInput(" ", "payment terms", JsonValue.Create("thirty"), Kind: "number", Scope: "Clients Team", Confidence: 1.5),
            MemorySearchTests.Operator(store), Ct));

        Assert.Equal(["subject", "value", "confidence", "scope"], refused.Problems.Select(p => p.Field));
        Assert.Contains("JSON number", refused.Problems[1].Message, StringComparison.Ordinal);
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM Facts;"));
        Assert.Equal(0L, await store.ScalarAsync("SELECT count(*) FROM Provenance;"));
    }

    public static TheoryData<string?, string, string?, string> WrongValues() => new()
    {
        { "number", "\"42\"", null, "value" },
        { "number", "true", null, "value" },
        { "date", "\"31/12/2026\"", null, "value" },
        { "date", "20261231", null, "value" },
        { "money", "1200", null, "currency" },
        { "money", "1200", "euro", "currency" },
        { "money", "\"1200\"", "EUR", "value" },
        { null, "42", null, "value" },
        { "text", "\"\"", null, "value" },
        { "reference", "{\"id\":1}", null, "value" },
        { "text", "\"fine\"", "EUR", "currency" },
        { "colour", "\"red\"", null, "kind" },
        { "1", "\"red\"", null, "kind" },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task A_value_must_fit_its_kind(string? kind, string json, string? currency, string field)
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => store.Get<FactService>().AddAsync(
            new FactInput("Acme", "note", JsonNode.Parse(json), kind, currency), MemorySearchTests.Operator(store), Ct));

        Assert.Equal(field, Assert.Single(refused.Problems).Field);
    }

    public static TheoryData<string, string, string?, FactValue> RightValues() => new()
    {
        { "text", "\" Prefers email \"", null, FactValue.OfText("Prefers email") },
        { "Number", "42.5", null, FactValue.OfNumber(42.5) },
        { "date", "\"2026-12-31\"", null, FactValue.OfDate(new DateOnly(2026, 12, 31)) },
        { "money", "1200.50", "eur", FactValue.OfMoney(1200.50m, "EUR") },
        { "reference", "\"contact:7f3a\"", null, FactValue.OfReference("contact:7f3a") },
    };

    [Theory]
    [MemberData(nameof(RightValues))]
    public async Task Each_kind_reads_its_JSON_value(string kind, string json, string? currency, FactValue expected)
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var fact = await store.Get<FactService>().AddAsync(new FactInput("Acme", "note", JsonNode.Parse(json), kind, currency),
            MemorySearchTests.Operator(store), Ct);

        Assert.Equal(expected, (await store.Get<FactService>().GetAsync(fact.Id, Ct))!.Value);
    }

    [Fact]
    public async Task An_unknown_fact_cannot_be_changed_and_has_no_history()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var facts = store.Get<FactService>();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => facts.ChangeAsync(Guid.CreateVersion7(), new FactChange(JsonValue.Create("x")),
            MemorySearchTests.Operator(store), Ct));
        Assert.Null(await facts.RevisionsAsync(Guid.CreateVersion7(), Ct));
        Assert.Null(await facts.GetAsync(Guid.CreateVersion7(), Ct));
    }

    private static Task<Fact> AddAsync(TempStore store, FactValue value) =>
        store.Get<FactService>().AddAsync(new NewFact("Acme", "payment-terms-days", value, Fact.DefaultScope, 1.0),
            MemorySearchTests.Operator(store), Ct);
}
