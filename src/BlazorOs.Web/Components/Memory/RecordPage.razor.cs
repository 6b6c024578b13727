using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>One record: its fields as its type labels them, where its current values came from, and its history per field, with revert.</summary>
public sealed partial class RecordPage
{
    private MemoryRecord? _record;
    private IReadOnlyList<MemoryRevision> _revisions = [];

    [Parameter]
    public Guid RecordId { get; set; }

    [Inject]
    private RecordService Records { get; set; } = default!;

    private protected override string What => "record";

    private protected override int? CurrentRevision => _record?.Revision;

    private List<BreadcrumbItem> Crumbs =>
        [new("Memory", "/memory"), new("Records", "/memory/records"), new(_record?.Type?.Label ?? "Record", $"/memory/records?type={_record?.Type?.Name}")];

    private Dictionary<string, string> Labels =>
        (_record?.Type?.Fields ?? []).ToDictionary(f => f.Name, f => f.Label ?? f.Name, StringComparer.Ordinal);

    private protected override async Task<IEnumerable<Guid?>> LoadItemAsync()
    {
        _record = await Records.GetAsync(RecordId);
        _revisions = await Records.RevisionsAsync(RecordId) ?? [];
        return _revisions.Select(r => r.Provenance?.RunId).Append(_record?.Provenance?.RunId);
    }

    private Task RevertAsync(MemoryRevision revision)
    {
        var seen = _record!.Revision;
        return ConfirmRevertAsync(revision.Number, ContentDiff(_record.ValuesJson, revision.NewJson, Labels),
            (provenance, reason) => Records.RevertAsync(RecordId, revision.Number, provenance, reason, seen));
    }
}
