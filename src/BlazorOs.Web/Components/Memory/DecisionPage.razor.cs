using BlazorOs.Core.Memory;
using Microsoft.AspNetCore.Components;
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
    private Decision? _decision;
    private IReadOnlyList<MemoryRevision> _revisions = [];

    [Parameter]
    public Guid DecisionId { get; set; }

    [Inject]
    private DecisionService Decisions { get; set; } = default!;

    private protected override string What => "decision";

    private protected override int? CurrentRevision => _decision?.Revision;

    private protected override async Task<IEnumerable<Guid?>> LoadItemAsync()
    {
        _decision = await Decisions.GetAsync(DecisionId);
        _revisions = await Decisions.RevisionsAsync(DecisionId) ?? [];
        return _revisions.Select(r => r.Provenance?.RunId).Append(_decision?.RunId);
    }

    private Task RevertAsync(MemoryRevision revision)
    {
        var seen = _decision!.Revision;
        return ConfirmRevertAsync(revision.Number, ContentDiff(_decision.ContentJson(), revision.NewJson, Labels),
            (provenance, reason) => Decisions.RevertAsync(DecisionId, revision.Number, provenance, reason, seen));
    }
}
