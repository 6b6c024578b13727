using System.Text.Json;

namespace BlazorOs.Core.Memory;

/// <summary>Who made a decision: the operator, or an agent step in a run.</summary>
public enum DecisionMaker
{
    Operator = 0,
    Agent = 1,
}

/// <summary>
/// Something decided: what (<see cref="Title"/>), why in short (<see cref="Rationale"/>), what else was on the table
/// (<see cref="Alternatives"/>), by whom, for which goal and in which run; with scope, provenance and revisions.
/// </summary>
public sealed class Decision
{
    public const int TitleMaxLength = 500;
    public const int RationaleMaxLength = 8000;
    public const int AlternativeMaxLength = 500;
    public const int MaxAlternatives = 20;

    private Decision(Guid id, string title, string scope, Guid provenanceId, DateTime createdAt)
    {
        Id = id;
        Title = title;
        Scope = scope;
        ProvenanceId = provenanceId;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; }
    public string? Rationale { get; private set; }

    /// <summary>The options not taken, in the order given.</summary>
    public IReadOnlyList<string> Alternatives => JsonSerializer.Deserialize<List<string>>(AlternativesJson) ?? [];

    /// <summary>
    /// <see cref="Alternatives"/> as a JSON array: one text column on both providers, so the full-text index reads it the
    /// same way (a primitive collection would be a JSON text on SQLite but a <c>text[]</c> on PostgreSQL).
    /// </summary>
    public string AlternativesJson { get; private set; } = "[]";

    public DecisionMaker DecidedBy { get; private set; }
    public Guid? GoalId { get; private set; }
    public Guid? RunId { get; private set; }
    public string Scope { get; private set; }
    public Guid ProvenanceId { get; private set; }
    public Provenance? Provenance { get; private set; }
    public int Revision { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>The decision and its first revision; save both.</summary>
    public static (Decision Decision, MemoryRevision Revision) Create(DecisionContent content, DecisionMaker decidedBy,
        Guid? goalId, Guid? runId, string scope, Provenance provenance)
    {
        var decision = new Decision(Guid.CreateVersion7(), string.Empty, MemoryText.Scope(scope), provenance.Id, provenance.At)
        {
            DecidedBy = decidedBy,
            GoalId = goalId,
            RunId = runId ?? provenance.RunId,
            Provenance = provenance,
            Revision = 1,
        };
        decision.Set(content);
        return (decision, MemoryRevision.First(MemoryItemTypes.Decision, decision.Id, decision.ContentJson(), provenance));
    }

    /// <summary>New content as the next revision; null when nothing changed (nothing to store).</summary>
    public MemoryRevision? Change(DecisionContent content, Provenance provenance, string? reason = null)
    {
        var old = ContentJson();
        var oldProvenance = ProvenanceId;
        Set(content);
        var now = ContentJson();
        if (now == old)
        {
            return null;
        }

        Revision++;
        ProvenanceId = provenance.Id;
        Provenance = provenance;
        UpdatedAt = provenance.At;
        return MemoryRevision.Next(MemoryItemTypes.Decision, Id, Revision, old, oldProvenance, now, provenance, reason);
    }

    public DecisionContent Content => new(Title, Rationale, Alternatives);

    /// <summary>What a revision stores: title, rationale and alternatives as JSON.</summary>
    public string ContentJson() => JsonSerializer.Serialize(Content, JsonSerializerOptions.Web);

    private void Set(DecisionContent content)
    {
        Title = MemoryText.Required(content.Title, TitleMaxLength, "title");
        Rationale = MemoryText.Optional(content.Rationale, RationaleMaxLength, "rationale");
        var alternatives = (content.Alternatives ?? []).Select(a => a?.Trim() ?? string.Empty).Where(a => a.Length > 0).ToList();
        if (alternatives.Count > MaxAlternatives || alternatives.Any(a => a.Length > AlternativeMaxLength))
        {
            throw new ArgumentException($"At most {MaxAlternatives} alternatives of at most {AlternativeMaxLength} characters.", nameof(content));
        }

        AlternativesJson = JsonSerializer.Serialize(alternatives);
    }
}

/// <summary>The part of a decision that revisions track.</summary>
public sealed record DecisionContent(string Title, string? Rationale = null, IReadOnlyList<string>? Alternatives = null);
