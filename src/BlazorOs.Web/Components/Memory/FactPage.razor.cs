using System.Globalization;
using BlazorOs.Core.Memory;
using BlazorOs.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>
/// One fact: its value, confidence, validity and scope; where the current value and every earlier one came from (run and
/// step linked); and its history with a word diff per revision and a revert that adds a revision.
/// </summary>
public sealed partial class FactPage
{
    private readonly List<BreadcrumbItem> _crumbs = [new("Memory", "/memory"), new("Fact", null, disabled: true)];
    private Fact? _fact;
    private IReadOnlyList<FactRevision> _revisions = [];

    [Parameter]
    public Guid FactId { get; set; }

    [Inject]
    private FactService Facts { get; set; } = default!;

    private protected override string What => "fact";

    private protected override int? CurrentRevision => _fact?.Revision;

    private IEnumerable<FactRevision> NewestFirst => _revisions.OrderByDescending(r => r.Number);

    private protected override async Task<IEnumerable<Guid?>> LoadItemAsync()
    {
        _fact = await Facts.GetAsync(FactId);
        _revisions = await Facts.RevisionsAsync(FactId) ?? [];
        return _revisions.Select(r => r.Provenance?.RunId).Append(_fact?.Provenance?.RunId);
    }

    private bool SameAsCurrent(FactRevision revision) =>
        _fact is not null && revision.NewValue == _fact.Value && revision.NewConfidence.Equals(_fact.Confidence);

    private Task RevertAsync(FactRevision revision)
    {
        var (current, seen) = (_fact!.Value, _fact.Revision);
        return ConfirmRevertAsync(revision.Number, builder =>
            {
                builder.OpenComponent<ValueChange>(0);
                builder.AddComponentParameter(1, nameof(ValueChange.Old), current);
                builder.AddComponentParameter(2, nameof(ValueChange.New), revision.NewValue);
                builder.CloseComponent();
            },
            (provenance, reason) => Facts.RevertAsync(FactId, revision.Number, provenance, reason, seen));
    }

    private async Task AcceptAsync()
    {
        await Facts.MarkReviewedAsync(FactId, Operator("Reviewed"));
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
