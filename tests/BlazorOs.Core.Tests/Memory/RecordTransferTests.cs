using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Memory;

/// <summary>
/// Records in and out as CSV and JSON. An import with a bad row writes nothing and names every bad row and field, unless
/// the operator chooses to import the valid rows; an export imported again gives the same records.
/// </summary>
public sealed class RecordTransferTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ContactsCsv = """
        name,email,company,_scope
        Ana Ruiz,ana@vandelay.example,Vandelay,clients
        "Kramer, Cosmo",not-an-email,,
        ,jerry@example.com,,
        Elaine Benes,elaine@pendant.example,Pendant,Bad Scope
        George Costanza,george@vandelay.example,Vandelay,
        """;

    [Fact]
    public async Task A_csv_with_bad_rows_imports_nothing_and_reports_every_bad_row_and_field()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var report = await store.Get<RecordTransfer>().ImportAsync("contact", RecordFormat.Csv, ContactsCsv, importValidRows: false, Import(store), Ct);

        Assert.Equal((5, 0), (report.Rows, report.Imported));
        Assert.Equal(["row 3, email", "row 4, name", "row 5, _scope"], report.Problems.Select(p => $"row {p.Row}, {p.Field}"));
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Records.CountAsync(Ct));
    }

    [Fact]
    public async Task Import_valid_rows_writes_the_good_ones_with_import_provenance_and_still_reports_the_bad()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var report = await store.Get<RecordTransfer>().ImportAsync("contact", RecordFormat.Csv, ContactsCsv, importValidRows: true, Import(store), Ct);

        Assert.Equal((2, 3), (report.Imported, report.Problems.Count));
        await using var db = store.NewContext();
        var records = await db.Records.Include(r => r.Provenance).OrderBy(r => r.Title).ToListAsync(Ct);
        Assert.Equal(["Ana Ruiz", "George Costanza"], records.Select(r => r.Title));
        Assert.Equal(["clients", "business"], records.Select(r => r.Scope));
        Assert.All(records, r => Assert.Equal(ProvenanceSource.Import, r.Provenance!.Source));
        Assert.Equal(2, await db.MemoryRevisions.CountAsync(Ct));
    }

    [Fact]
    public async Task A_json_import_reports_rows_by_position_and_an_export_round_trips_through_both_formats()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var transfer = store.Get<RecordTransfer>();
        var json = """
            [
              { "scope": "clients", "values": { "name": "Wayne renewal", "stage": "won", "amount": { "amount": 12000, "currency": "usd" }, "closeDate": "2026-11-30" } },
              { "values": { "name": "Stark deal", "stage": "maybe", "amount": "lots" } },
              "not an object"
            ]
            """;

        var bad = await transfer.ImportAsync("deal", RecordFormat.Json, json, importValidRows: false, Import(store), Ct);
        Assert.Equal(["row 2, amount", "row 2, stage", "row 3, values"], bad.Problems.Select(p => $"row {p.Row}, {p.Field}").Order());
        var good = await transfer.ImportAsync("deal", RecordFormat.Json, json, importValidRows: true, Import(store), Ct);
        Assert.Equal(1, good.Imported);

        var csv = await transfer.ExportAsync("deal", RecordFormat.Csv, cancellationToken: Ct);
        Assert.Equal("name,company,amount,stage,closeDate,_scope\r\nWayne renewal,,12000 USD,won,2026-11-30,clients\r\n", csv);
        var exported = JsonNode.Parse(await transfer.ExportAsync("deal", RecordFormat.Json, cancellationToken: Ct))!.AsArray();
        Assert.Equal("USD", exported[0]!["values"]!["amount"]!["currency"]!.GetValue<string>());

        await using var other = await TempStore.CreateMigratedAsync();
        var again = await other.Get<RecordTransfer>().ImportAsync("deal", RecordFormat.Csv, csv, importValidRows: false, Import(other), Ct);
        Assert.Equal((1, 0), (again.Imported, again.Problems.Count));
        Assert.Equal(csv, await other.Get<RecordTransfer>().ExportAsync("deal", RecordFormat.Csv, cancellationToken: Ct));
    }

    [Fact]
    public async Task Unknown_columns_are_reported_on_the_header_row()
    {
        await using var store = await TempStore.CreateMigratedAsync();

        var report = await store.Get<RecordTransfer>().ImportAsync("company", RecordFormat.Csv, "name,revenue\nAcme,12\n", false, Import(store), Ct);

        Assert.Equal((1, "revenue"), (Assert.Single(report.Problems).Row, report.Problems[0].Field));
    }

    private static Provenance Import(TempStore store) =>
        Provenance.Of(ProvenanceSource.Import, "operator", store.Now, detail: "contacts.csv");
}
