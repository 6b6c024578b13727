using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>One decision: what, why, the alternatives, by whom; where its current version came from; its history per field, with revert.</summary>
public sealed partial class DecisionPage
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["title"] = "Decision",
        ["rationale"] = "Rationale",
        ["alternatives"] = "Alternatives",
    };

    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Decision", null, disabled: true)];
    private bool _loaded;
    private Decision? _decision;
    private IReadOnlyList<MemoryRevision> _revisions = [];
    private Dictionary<Guid, string> _runs = [];

    [Parameter]
    public Guid DecisionId { get; set; }

    [Inject]
    private DecisionService Decisions { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _decision = await Decisions.GetAsync(DecisionId);
        _revisions = await Decisions.RevisionsAsync(DecisionId) ?? [];
        _runs = await RunNames.OfAsync(DbFactory, _revisions.Select(r => r.Provenance?.RunId).Append(_decision?.RunId));
        _loaded = true;
    }

    private async Task RevertAsync(MemoryRevision revision)
    {
        var current = _decision!.ContentJson();
        var seen = _decision.Revision;
        var content = System.Text.Json.JsonSerializer.Deserialize<DecisionContent>(revision.NewJson, System.Text.Json.JsonSerializerOptions.Web)!;
        var parameters = new DialogParameters<RevertDialog>
        {
            { d => d.What, "decision" },
            { d => d.Number, revision.Number },
            { d => d.Change, builder =>
                {
                    builder.OpenComponent<ContentChange>(0);
                    builder.AddComponentParameter(1, nameof(ContentChange.OldJson), current);
                    builder.AddComponentParameter(2, nameof(ContentChange.NewJson), revision.NewJson);
                    builder.AddComponentParameter(3, nameof(ContentChange.Labels), Labels);
                    builder.CloseComponent();
                }
            },
            { d => d.Revert, reason => Decisions.ChangeAsync(DecisionId, new DecisionChange(content.Title, content.Rationale, content.Alternatives,
                MemoryRevert.Reason(revision.Number, reason), seen), MemoryRevert.Operator(Clock, "decision")) },
        };
        var dialog = await Dialogs.ShowAsync<RevertDialog>($"Revert to revision {revision.Number}?", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add($"Reverted to revision {revision.Number}: now revision {_decision?.Revision}.", Severity.Success);
        }
    }
}
