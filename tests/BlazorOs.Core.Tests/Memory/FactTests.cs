using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory;

public sealed class FactTests
{
    public static TheoryData<FactValue> Values() =>
    [
        FactValue.OfText("Prefers email over calls"),
        FactValue.OfNumber(0.1 + 0.2),
        FactValue.OfDate(new DateOnly(2027, 3, 31)),
        FactValue.OfMoney(1234.56m, "eur"),
        FactValue.OfReference("contact:7f3a"),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public async Task A_fact_round_trips_its_typed_value_and_provenance(FactValue value)
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var run = await ExecutionScenario.AddRunAsync(store);
        var provenance = Provenance.Of(ProvenanceSource.Agent, "gpt-task", store.Now, run.Id, "extract", "From the kickoff call notes");
        var fact = Fact.Create("ACME", "note", value, provenance, confidence: 0.8, scope: "clients");
        await using (var db = store.NewContext())
        {
            db.Facts.Add(fact);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.Facts.Include(f => f.Provenance).SingleAsync(TestContext.Current.CancellationToken);

        Assert.Equal(value, loaded.Value);
        Assert.Equal(("ACME", "note", 0.8, "clients", 1), (loaded.Subject, loaded.Predicate, loaded.Confidence, loaded.Scope, loaded.Revision));
        var from = loaded.Provenance!;
        Assert.Equal((ProvenanceSource.Agent, "gpt-task", (Guid?)run.Id, "extract", "From the kickoff call notes"),
            (from.Source, from.Actor, from.RunId, from.NodeId, from.Detail));
        Assert.Equal((DateTimeKind.Utc, TempStore.Start.UtcDateTime), (from.At.Kind, from.At));
        Assert.Equal(value.Kind.ToString(), await store.ScalarAsync("SELECT ValueKind FROM Facts;"));
        Assert.Equal("Agent", await store.ScalarAsync("SELECT Source FROM Provenance;"));
    }

    [Fact]
    public async Task Changing_a_stored_fact_records_a_new_revision_and_its_provenance()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var first = Provenance.Of(ProvenanceSource.Import, "crm.csv", store.Now);
        var fact = Fact.Create("ACME", "payment-terms-days", FactValue.OfNumber(30), first);
        await using (var db = store.NewContext())
        {
            db.Facts.Add(fact);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        store.Clock.Advance(TimeSpan.FromDays(1));
        await using (var db = store.NewContext())
        {
            var stored = await db.Facts.SingleAsync(TestContext.Current.CancellationToken);
            stored.Change(FactValue.OfNumber(45), 0.9, Provenance.Of(ProvenanceSource.Operator, "operator", store.Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var loaded = await read.Facts.Include(f => f.Provenance).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((FactValue.OfNumber(45), 0.9, 2, store.Now), (loaded.Value, loaded.Confidence, loaded.Revision, loaded.UpdatedAt));
        Assert.Equal(ProvenanceSource.Operator, loaded.Provenance!.Source);
        // The first provenance stays: the revision history will point at it.
        Assert.Equal(2L, await store.ScalarAsync("SELECT count(*) FROM Provenance;"));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Confidence_is_between_zero_and_one(double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Fact.Create("ACME", "note", FactValue.OfText("x"),
            Provenance.Of(ProvenanceSource.Operator, "operator", TempStore.Start.UtcDateTime), confidence));
}
