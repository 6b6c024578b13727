namespace BlazorOs.Core.Memory;

/// <summary>
/// One step in the history of a decision or a record: the item's content before and after as JSON (the shape its
/// service returns), who changed it and when (<see cref="Provenance"/>), whose content it replaced
/// (<see cref="OldProvenanceId"/>) and why. Facts keep their own typed <see cref="FactRevision"/>. Keyed by item and
/// number, so two writers that read revision <c>n</c> cannot both store <c>n + 1</c>.
/// </summary>
public sealed class MemoryRevision
{
    public const int ReasonMaxLength = FactRevision.ReasonMaxLength;

    private MemoryRevision(string itemType, Guid itemId, int number, string newJson, Guid provenanceId)
    {
        ItemType = itemType;
        ItemId = itemId;
        Number = number;
        NewJson = newJson;
        ProvenanceId = provenanceId;
    }

    /// <summary><see cref="MemoryItemTypes.Decision"/> or <see cref="MemoryItemTypes.Record"/>.</summary>
    public string ItemType { get; private set; }

    public Guid ItemId { get; private set; }
    public int Number { get; private set; }

    /// <summary>The content before; null for revision 1 (the creation).</summary>
    public string? OldJson { get; private set; }

    public string NewJson { get; private set; }
    public string? Reason { get; private set; }
    public Guid ProvenanceId { get; private set; }
    public Provenance? Provenance { get; private set; }
    public Guid? OldProvenanceId { get; private set; }

    internal static MemoryRevision First(string itemType, Guid itemId, string json, Provenance provenance) =>
        new(itemType, itemId, 1, json, provenance.Id) { Provenance = provenance };

    internal static MemoryRevision Next(string itemType, Guid itemId, int number, string oldJson, Guid oldProvenanceId,
        string newJson, Provenance provenance, string? reason) =>
        new(itemType, itemId, number, newJson, provenance.Id)
        {
            OldJson = oldJson,
            OldProvenanceId = oldProvenanceId,
            Reason = MemoryText.Optional(reason, ReasonMaxLength, nameof(reason)),
            Provenance = provenance,
        };
}
