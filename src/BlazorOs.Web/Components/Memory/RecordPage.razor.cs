using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>One record: its fields as its type labels them, where its current values came from, and its history per field, with revert.</summary>
public sealed partial class RecordPage
{
    private bool _loaded;
    private MemoryRecord? _record;
    private IReadOnlyList<MemoryRevision> _revisions = [];
    private Dictionary<Guid, string> _runs = [];

    [Parameter]
    public Guid RecordId { get; set; }

    [Inject]
    private RecordService Records { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private List<BreadcrumbItem> Crumbs =>
        [new("Memory", "/memory"), new("Records", "/memory/records"), new(_record?.Type?.Label ?? "Record", $"/memory/records?type={_record?.Type?.Name}")];

    private Dictionary<string, string> Labels =>
        (_record?.Type?.Fields ?? []).ToDictionary(f => f.Name, f => f.Label ?? f.Name, StringComparer.Ordinal);

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _record = await Records.GetAsync(RecordId);
        _revisions = await Records.RevisionsAsync(RecordId) ?? [];
        _runs = await RunNames.OfAsync(DbFactory, _revisions.Select(r => r.Provenance?.RunId).Append(_record?.Provenance?.RunId));
        _loaded = true;
    }

    private async Task RevertAsync(MemoryRevision revision)
    {
        var current = _record!.ValuesJson;
        var seen = _record.Revision;
        var labels = Labels;
        var parameters = new DialogParameters<RevertDialog>
        {
            { d => d.What, "record" },
            { d => d.Number, revision.Number },
            { d => d.Change, builder =>
                {
                    builder.OpenComponent<ContentChange>(0);
                    builder.AddComponentParameter(1, nameof(ContentChange.OldJson), current);
                    builder.AddComponentParameter(2, nameof(ContentChange.NewJson), revision.NewJson);
                    builder.AddComponentParameter(3, nameof(ContentChange.Labels), labels);
                    builder.CloseComponent();
                }
            },
            { d => d.Revert, reason => Records.ChangeAsync(RecordId, System.Text.Json.Nodes.JsonNode.Parse(revision.NewJson)!.AsObject(),
                MemoryRevert.Operator(Clock, "record"), MemoryRevert.Reason(revision.Number, reason), seen) },
        };
        var dialog = await Dialogs.ShowAsync<RevertDialog>($"Revert to revision {revision.Number}?", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add($"Reverted to revision {revision.Number}: now revision {_record?.Revision}.", Severity.Success);
        }
    }
}
