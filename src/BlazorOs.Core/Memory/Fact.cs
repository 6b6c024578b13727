using System.Globalization;
using System.Text.Json.Nodes;

namespace BlazorOs.Core.Memory;

public enum FactValueKind
{
    Text = 0,
    Number = 1,
    Date = 2,
    Money = 3,
    Reference = 4,
}

/// <summary>A typed fact value. <see cref="Text"/> is the canonical text form of every kind.</summary>
public sealed record FactValue(FactValueKind Kind, string Text, double? Number = null, string? Currency = null)
{
    public static FactValue OfText(string text) => new(FactValueKind.Text, text);

    public static FactValue OfNumber(double number) =>
        new(FactValueKind.Number, number.ToString("R", CultureInfo.InvariantCulture), number);

    public static FactValue OfDate(DateOnly date) =>
        new(FactValueKind.Date, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static FactValue OfMoney(decimal amount, string currency) =>
        new(FactValueKind.Money, amount.ToString(CultureInfo.InvariantCulture), (double)amount, currency.ToUpperInvariant());

    public static FactValue OfReference(string reference) => new(FactValueKind.Reference, reference);

    /// <summary>The value as JSON, the shape <see cref="FactInput.Value"/> takes: a number for number and money, a string otherwise.</summary>
    public JsonValue ToJson() => Kind switch
    {
        FactValueKind.Number => JsonValue.Create(Number ?? double.Parse(Text, CultureInfo.InvariantCulture)),
        FactValueKind.Money => JsonValue.Create(decimal.Parse(Text, NumberStyles.Number, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Text),
    };

    public override string ToString() => Kind == FactValueKind.Money ? $"{Text} {Currency}" : Text;
}

/// <summary>Something known: subject, predicate, typed value, with confidence, validity, scope and provenance.</summary>
public sealed class Fact
{
    public const string DefaultScope = "business";
    public const int SubjectMaxLength = 200;

    private readonly List<FactRevision> _revisions = [];

    private Fact(Guid id, string subject, string predicate, string scope, Guid provenanceId, DateTime createdAt)
    {
        Id = id;
        Subject = subject;
        Predicate = predicate;
        Scope = scope;
        ProvenanceId = provenanceId;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        ValueText = string.Empty;
    }

    public Guid Id { get; private set; }
    public string Subject { get; private set; }
    public string Predicate { get; private set; }
    public FactValueKind ValueKind { get; private set; }
    public string ValueText { get; private set; }
    public double? ValueNumber { get; private set; }
    public string? Currency { get; private set; }
    public double Confidence { get; private set; }
    public string Scope { get; private set; }
    public DateTime? ValidFrom { get; private set; }
    public DateTime? ValidTo { get; private set; }
    public Guid ProvenanceId { get; private set; }
    public Provenance? Provenance { get; private set; }
    public int Revision { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>
    /// Set when a write contradicted the value with a confidence below the review threshold: an operator should look at
    /// the latest revision (it holds both sources). Cleared by <see cref="MarkReviewed"/> or by a deliberate change
    /// (<see cref="Change(FactValue, double, Provenance, string?)"/>).
    /// </summary>
    public bool NeedsReview { get; private set; }

    public FactValue Value => new(ValueKind, ValueText, ValueNumber, Currency);

    /// <summary>The history of the value, oldest first: revision 1 is the value the fact was created with.</summary>
    public IReadOnlyCollection<FactRevision> Revisions => _revisions;

    public static Fact Create(string subject, string predicate, FactValue value, Provenance provenance,
        double confidence = 1.0, string scope = DefaultScope)
    {
        var fact = new Fact(Guid.CreateVersion7(), Require(subject, nameof(subject)), Require(predicate, nameof(predicate)),
            Require(scope, nameof(scope)), provenance.Id, provenance.At)
        {
            Provenance = provenance,
            Revision = 1,
        };
        fact.SetValue(value, confidence);
        fact._revisions.Add(FactRevision.First(fact, provenance));
        return fact;
    }

    /// <summary>
    /// Replaces the value and records the change as the next revision: old → new value, who and when (the
    /// <paramref name="provenance"/>) and why (<paramref name="reason"/>). Saving the fact saves the revision.
    /// </summary>
    public FactRevision Change(FactValue value, double confidence, Provenance provenance, string? reason = null) =>
        Change(value, confidence, provenance, reason, conflict: false, needsReview: false);

    /// <summary>
    /// A write that contradicts the current value (same subject and predicate, another value): recorded as a revision
    /// that keeps both sources (<see cref="FactRevision.OldProvenanceId"/> and <see cref="FactRevision.ProvenanceId"/>)
    /// and flagged; when <paramref name="needsReview"/> the fact waits for an operator.
    /// </summary>
    public FactRevision Contradict(FactValue value, double confidence, Provenance provenance, bool needsReview, string? reason = null) =>
        Change(value, confidence, provenance, reason, conflict: true, needsReview);

    /// <summary>
    /// An operator looked at the fact's conflict and accepts the value as it is. Recorded as a revision with the same value
    /// whose provenance is the reviewer, so the history says who accepted it, when and why; the value keeps its own source
    /// (<see cref="ProvenanceId"/>). Null when the fact was not waiting for review (nothing to record).
    /// </summary>
    public FactRevision? MarkReviewed(Provenance reviewer, string? reason = null)
    {
        if (!NeedsReview)
        {
            return null;
        }

        NeedsReview = false;
        Revision++;
        UpdatedAt = reviewer.At;
        var revision = FactRevision.Next(this, Value, Confidence, ProvenanceId, reviewer, reason ?? "Reviewed: the current value is accepted",
            conflict: false);
        _revisions.Add(revision);
        return revision;
    }

    private FactRevision Change(FactValue value, double confidence, Provenance provenance, string? reason, bool conflict, bool needsReview)
    {
        var old = Value;
        var oldConfidence = Confidence;
        var oldProvenanceId = ProvenanceId;
        NeedsReview = needsReview;
        SetValue(value, confidence);
        ProvenanceId = provenance.Id;
        Provenance = provenance;
        Revision++;
        UpdatedAt = provenance.At;
        var revision = FactRevision.Next(this, old, oldConfidence, oldProvenanceId, provenance, reason, conflict);
        _revisions.Add(revision);
        return revision;
    }

    private void SetValue(FactValue value, double confidence)
    {
        if (confidence is < 0 or > 1 || double.IsNaN(confidence))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence is between 0 and 1.");
        }

        ValueKind = value.Kind;
        ValueText = value.Text;
        ValueNumber = value.Number;
        Currency = value.Currency;
        Confidence = confidence;
    }

    private static string Require(string text, string name)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        return trimmed.Length is > 0 and <= SubjectMaxLength
            ? trimmed
            : throw new ArgumentException($"A fact's {name} needs 1 to {SubjectMaxLength} characters.", name);
    }
}
