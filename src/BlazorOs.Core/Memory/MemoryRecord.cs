using System.Text.Json.Nodes;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A canonical entity (a contact, a company, a deal, …) whose values follow its <see cref="RecordType"/>. The values are
/// stored as one JSON object in canonical form; <see cref="Title"/> is the first field's value, kept for lists and search.
/// Called MemoryRecord in code (the table is <c>Records</c>) so it does not read like C#'s <c>record</c>.
/// </summary>
public sealed class MemoryRecord
{
    public const int TitleMaxLength = 500;

    private MemoryRecord(Guid id, Guid typeId, string title, string valuesJson, string scope, Guid provenanceId, DateTime createdAt)
    {
        Id = id;
        TypeId = typeId;
        Title = title;
        ValuesJson = valuesJson;
        Scope = scope;
        ProvenanceId = provenanceId;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid TypeId { get; private set; }
    public RecordType? Type { get; private set; }
    public string Title { get; private set; }
    public string ValuesJson { get; private set; }
    public string Scope { get; private set; }
    public Guid ProvenanceId { get; private set; }
    public Provenance? Provenance { get; private set; }
    public int Revision { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public JsonObject Values => JsonNode.Parse(ValuesJson)?.AsObject() ?? [];

    /// <summary>The values on one line, as search and the explorer show them: <c>name: Acme; industry: Retail</c>.</summary>
    public string ValuesText() => string.Join("; ", Values.Select(v => $"{v.Key}: {RecordType.TextOf(v.Value)}"));

    /// <summary>A record from values already checked by <see cref="RecordType.Validate"/>, with its first revision.</summary>
    internal static (MemoryRecord Record, MemoryRevision Revision) Create(RecordType type, JsonObject values, string scope, Provenance provenance)
    {
        var json = values.ToJsonString();
        var record = new MemoryRecord(Guid.CreateVersion7(), type.Id, TitleOf(type, values), json, MemoryText.Scope(scope), provenance.Id, provenance.At)
        {
            Provenance = provenance,
            Revision = 1,
        };
        return (record, MemoryRevision.First(MemoryItemTypes.Record, record.Id, json, provenance));
    }

    /// <summary>New checked values as the next revision; null when they equal the current ones.</summary>
    internal MemoryRevision? Change(RecordType type, JsonObject values, Provenance provenance, string? reason)
    {
        var json = values.ToJsonString();
        if (json == ValuesJson)
        {
            return null;
        }

        var old = ValuesJson;
        var oldProvenance = ProvenanceId;
        ValuesJson = json;
        Title = TitleOf(type, values);
        Revision++;
        ProvenanceId = provenance.Id;
        Provenance = provenance;
        UpdatedAt = provenance.At;
        return MemoryRevision.Next(MemoryItemTypes.Record, Id, Revision, old, oldProvenance, json, provenance, reason);
    }

    private static string TitleOf(RecordType type, JsonObject values)
    {
        var title = RecordType.TextOf(values[type.Fields[0].Name]).Trim();
        title = title.Length == 0 ? type.Label : title;
        return title.Length <= TitleMaxLength ? title : title[..TitleMaxLength];
    }
}
