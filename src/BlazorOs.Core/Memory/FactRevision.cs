namespace BlazorOs.Core.Memory;

/// <summary>
/// One step in a fact's history: the value before and after, who changed it and when (its <see cref="Provenance"/>),
/// and why. Revision 1 is the creation and has no old value. Identified by the fact and its number, so two writers
/// that both read revision <c>n</c> cannot both store <c>n + 1</c>.
/// </summary>
public sealed class FactRevision
{
    public const int ReasonMaxLength = 1000;

    private FactRevision(Guid factId, int number, FactValueKind newKind, string newText, double newConfidence, Guid provenanceId)
    {
        FactId = factId;
        Number = number;
        NewKind = newKind;
        NewText = newText;
        NewConfidence = newConfidence;
        ProvenanceId = provenanceId;
    }

    public Guid FactId { get; private set; }
    public int Number { get; private set; }
    public FactValueKind? OldKind { get; private set; }
    public string? OldText { get; private set; }
    public double? OldNumber { get; private set; }
    public string? OldCurrency { get; private set; }
    public double? OldConfidence { get; private set; }
    public FactValueKind NewKind { get; private set; }
    public string NewText { get; private set; }
    public double? NewNumber { get; private set; }
    public string? NewCurrency { get; private set; }
    public double NewConfidence { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>The source of the value this revision replaced (null for revision 1 and for revisions stored before it was kept).</summary>
    public Guid? OldProvenanceId { get; private set; }

    /// <summary>True when the new value contradicted the old one from another write, not a deliberate change.</summary>
    public bool IsConflict { get; private set; }

    /// <summary>Who made this revision, from where, and when.</summary>
    public Guid ProvenanceId { get; private set; }

    public Provenance? Provenance { get; private set; }

    public FactValue? OldValue => OldKind is { } kind ? new FactValue(kind, OldText ?? string.Empty, OldNumber, OldCurrency) : null;
    public FactValue NewValue => new(NewKind, NewText, NewNumber, NewCurrency);

    internal static FactRevision First(Fact fact, Provenance provenance) => Of(fact, provenance);

    internal static FactRevision Next(Fact fact, FactValue old, double oldConfidence, Guid oldProvenanceId, Provenance provenance,
        string? reason, bool conflict)
    {
        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (trimmed is { Length: > ReasonMaxLength })
        {
            throw new ArgumentException($"A reason has at most {ReasonMaxLength} characters.", nameof(reason));
        }

        var revision = Of(fact, provenance);
        revision.OldKind = old.Kind;
        revision.OldText = old.Text;
        revision.OldNumber = old.Number;
        revision.OldCurrency = old.Currency;
        revision.OldConfidence = oldConfidence;
        revision.Reason = trimmed;
        revision.OldProvenanceId = oldProvenanceId;
        revision.IsConflict = conflict;
        return revision;
    }

    /// <summary>The fact's current value as its revision <see cref="Fact.Revision"/>.</summary>
    private static FactRevision Of(Fact fact, Provenance provenance) =>
        new(fact.Id, fact.Revision, fact.ValueKind, fact.ValueText, fact.Confidence, provenance.Id)
        {
            NewNumber = fact.ValueNumber,
            NewCurrency = fact.Currency,
            Provenance = provenance,
        };
}
