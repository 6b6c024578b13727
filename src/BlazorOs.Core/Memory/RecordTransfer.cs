using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

public enum RecordFormat
{
    /// <summary>A JSON array of <c>{ "scope": "business", "values": { field: value } }</c> (export adds <c>id</c>, import ignores it).</summary>
    Json = 0,

    /// <summary>RFC 4180 CSV, a header row of field names and an optional <c>_scope</c> column; money as <c>1200.50 EUR</c>.</summary>
    Csv = 1,
}

/// <summary>
/// One problem in an import. <see cref="Row"/>: for CSV the spreadsheet row (the header is row 1, so the first record is
/// row 2); for JSON the item's position, from 1. Row 0 is the file as a whole.
/// </summary>
public sealed record ImportProblem(int Row, string Field, string Message)
{
    public override string ToString() => $"row {Row}, {Field}: {Message}";
}

/// <summary>What an import did: how many records it read and wrote, and every problem found.</summary>
public sealed record ImportReport(int Rows, int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// Records in and out as JSON or CSV. An import checks every row against the record type and reports every bad row (row,
/// field, message); it writes nothing when any row is bad unless <c>importValidRows</c> is set, and then writes the good
/// rows only. What it writes is one transaction, with one <see cref="ProvenanceSource.Import"/> provenance for all.
/// </summary>
public sealed class RecordTransfer(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    public const int MaxRows = 100_000;
    public const string ScopeColumn = "_scope";

    public async Task<string> ExportAsync(string typeName, RecordFormat format, string? scope = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var type = await db.RecordTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Name == typeName, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no record type '{typeName}'.");
        var records = await db.Records.AsNoTracking().Where(r => r.TypeId == type.Id && (scope == null || r.Scope == scope))
            .OrderBy(r => r.Title).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        if (format == RecordFormat.Json)
        {
            var array = new JsonArray([.. records.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id.ToString(), ["scope"] = r.Scope, ["values"] = r.Values })]);
            return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

        var csv = new StringBuilder();
        Csv.WriteRow(csv, [.. type.Fields.Select(f => f.Name), ScopeColumn]);
        foreach (var record in records)
        {
            var values = record.Values;
            Csv.WriteRow(csv, [.. type.Fields.Select(f => RecordType.TextOf(values[f.Name])), record.Scope]);
        }

        return csv.ToString();
    }

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown type; every problem with the content is in the report.</summary>
    public async Task<ImportReport> ImportAsync(string typeName, RecordFormat format, string content, bool importValidRows, Provenance provenance,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var type = await db.RecordTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Name == typeName, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no record type '{typeName}'.");
        var problems = new List<ImportProblem>();
        var rows = format == RecordFormat.Json ? ReadJson(content, problems) : ReadCsv(type, content, problems);
        if (rows.Count > MaxRows)
        {
            return new ImportReport(rows.Count, 0, [new ImportProblem(0, "file", $"At most {MaxRows:N0} records per import; this file has {rows.Count:N0}.")]);
        }

        var good = new List<(JsonObject Values, string Scope)>();
        foreach (var row in rows)
        {
            var (values, rowProblems) = type.Validate(row.Values);
            var all = rowProblems.Select(p => new ImportProblem(row.Number, p.Field, p.Message)).ToList();
            if (!MemoryScope.IsValid(row.Scope))
            {
                all.Add(new ImportProblem(row.Number, format == RecordFormat.Csv ? ScopeColumn : "scope", $"'{row.Scope}' is not a scope: use {MemoryScope.FormatDescription}."));
            }

            problems.AddRange(all);
            if (all.Count == 0)
            {
                good.Add((values, row.Scope));
            }
        }

        if (good.Count == 0 || (problems.Count > 0 && !importValidRows))
        {
            return new ImportReport(rows.Count, 0, problems);
        }

        db.Provenance.Add(provenance);
        foreach (var (values, scope) in good)
        {
            var (record, revision) = MemoryRecord.Create(type, values, scope, provenance);
            db.Records.Add(record);
            db.MemoryRevisions.Add(revision);
        }

        await db.SaveChangesAsync(cancellationToken);
        return new ImportReport(rows.Count, good.Count, problems);
    }

    private static List<Row> ReadJson(string content, List<ImportProblem> problems)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content);
        }
        catch (JsonException ex)
        {
            problems.Add(new ImportProblem(0, "file", $"Not JSON: {ex.Message}"));
            return [];
        }

        if (root is not JsonArray array)
        {
            problems.Add(new ImportProblem(0, "file", "Expected a JSON array of { \"scope\", \"values\" } objects."));
            return [];
        }

        var rows = new List<Row>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject { } item && item["values"] is JsonObject values)
            {
                var scope = item["scope"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>().Trim() : Fact.DefaultScope;
                rows.Add(new Row(i + 1, (JsonObject)values.DeepClone(), scope));
            }
            else
            {
                problems.Add(new ImportProblem(i + 1, "values", "Each item is an object with a 'values' object."));
            }
        }

        return rows;
    }

    private static List<Row> ReadCsv(RecordType type, string content, List<ImportProblem> problems)
    {
        var lines = Csv.Read(content);
        if (lines.Count == 0)
        {
            problems.Add(new ImportProblem(0, "file", "The file is empty: the first row names the fields."));
            return [];
        }

        var header = lines[0].Select(h => h.Trim()).ToList();
        var unknown = header.Where(h => h != ScopeColumn && !type.Fields.Any(f => f.Name == h)).ToList();
        foreach (var column in unknown)
        {
            problems.Add(new ImportProblem(1, column, $"A {type.Name} has no field '{column}'. Its fields: {string.Join(", ", type.Fields.Select(f => f.Name))}."));
        }

        if (unknown.Count > 0)
        {
            return [];
        }

        var rows = new List<Row>();
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i];
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (cells.Count != header.Count)
            {
                problems.Add(new ImportProblem(i + 1, "row", $"Has {cells.Count} cells; the header has {header.Count}."));
                continue;
            }

            var values = new JsonObject();
            var scope = Fact.DefaultScope;
            for (var c = 0; c < header.Count; c++)
            {
                if (header[c] == ScopeColumn)
                {
                    scope = string.IsNullOrWhiteSpace(cells[c]) ? Fact.DefaultScope : cells[c].Trim();
                }
                else if (!string.IsNullOrWhiteSpace(cells[c]))
                {
                    values[header[c]] = cells[c];
                }
            }

            rows.Add(new Row(i + 1, values, scope));
        }

        return rows;
    }

    private sealed record Row(int Number, JsonObject Values, string Scope);
}

/// <summary>RFC 4180: fields separated by commas, quoted with <c>"</c> when they hold a comma, quote or line break.</summary>
internal static class Csv
{
    public static void WriteRow(StringBuilder csv, IReadOnlyList<string> cells)
    {
        csv.AppendJoin(',', cells.Select(c => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c));
        csv.Append("\r\n");
    }

    public static List<List<string>> Read(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
