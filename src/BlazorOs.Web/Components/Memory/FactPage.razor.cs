using System.Globalization;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Auth;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>
/// One fact: its value, confidence, validity and scope; where the current value and every earlier one came from (run and
/// step linked); and its history with a word diff per revision and a revert that adds a revision.
/// </summary>
public sealed partial class FactPage
{
    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Fact", null, disabled: true)];
    private bool _loaded;
    private Fact? _fact;
    private IReadOnlyList<FactRevision> _revisions = [];
    private Dictionary<Guid, string> _runs = [];

    [Parameter]
    public Guid FactId { get; set; }

    [Inject]
    private FactService Facts { get; set; } = default!;

    [Inject]
    private IDbContextFactory<BlazorOsDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private IEnumerable<FactRevision> NewestFirst => _revisions.OrderByDescending(r => r.Number);

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _fact = await Facts.GetAsync(FactId);
        _revisions = await Facts.RevisionsAsync(FactId) ?? [];
        _runs = await RunNames.OfAsync(DbFactory, _revisions.Select(r => r.Provenance?.RunId).Append(_fact?.Provenance?.RunId));
        _loaded = true;
    }

    private bool SameAsCurrent(FactRevision revision) =>
        _fact is not null && revision.NewValue == _fact.Value && revision.NewConfidence.Equals(_fact.Confidence);

    private async Task RevertAsync(FactRevision revision)
    {
        var current = _fact!.Value;
        var seen = _fact.Revision;
        var parameters = new DialogParameters<RevertDialog>
        {
            { d => d.What, "fact" },
            { d => d.Number, revision.Number },
            { d => d.Change, builder =>
                {
                    builder.OpenComponent<ValueChange>(0);
                    builder.AddComponentParameter(1, nameof(ValueChange.Old), current);
                    builder.AddComponentParameter(2, nameof(ValueChange.New), revision.NewValue);
                    builder.CloseComponent();
                }
            },
            { d => d.Revert, reason => Facts.RevertAsync(FactId, revision.Number, MemoryRevert.Operator(Clock, "fact"), reason, seen) },
        };
        var dialog = await Dialogs.ShowAsync<RevertDialog>($"Revert to revision {revision.Number}?", parameters);
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add($"Reverted to revision {revision.Number}: now revision {_fact?.Revision}.", Severity.Success);
        }
    }

    private async Task AcceptAsync()
    {
        await Facts.MarkReviewedAsync(FactId, Provenance.Of(ProvenanceSource.Operator, OperatorAccount.OperatorName, Clock.GetUtcNow().UtcDateTime,
            detail: "Reviewed on the fact's page"));
        await LoadAsync();
        Snackbar.Add("Accepted: the fact no longer needs review (recorded in its history).", Severity.Success);
    }

    private static string Validity(Fact fact) => (fact.ValidFrom, fact.ValidTo) switch
    {
        (null, null) => "Always (no validity period)",
        ({ } from, null) => $"From {Formats.When(from)}",
        (null, { } to) => $"Until {Formats.When(to)}",
        ({ } from, { } to) => $"{Formats.When(from)} to {Formats.When(to)}",
    };

    private static string ConfidenceChange(FactRevision revision) =>
        revision.OldConfidence is { } old && !old.Equals(revision.NewConfidence)
            ? $"{MemoryPage.Percent(old)} → {MemoryPage.Percent(revision.NewConfidence)}"
            : revision.NewConfidence.ToString("P0", CultureInfo.InvariantCulture);
}
