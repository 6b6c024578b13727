using System.Globalization;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Memory.Vectors;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorOs.Web.Components.Memory;

/// <summary>
/// The memory explorer: ranked search, facets (type, scope, source) with counts, time and subject filters, and pages of
/// results, each linking to its item page.
/// </summary>
public sealed partial class MemoryPage
{
    private static readonly (string Key, string Label, TimeSpan? Span)[] Periods =
    [
        ("any", "Any time", null),
        ("day", "Last 24 hours", TimeSpan.FromDays(1)),
        ("week", "Last 7 days", TimeSpan.FromDays(7)),
        ("month", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    private ExplorerPage? _page;
    private string? _q;
    private string? _type;
    private string? _scope;
    private ProvenanceSource? _source;
    private string _changed = "any";
    private string? _subject;
    private bool _needsReview;
    private int _pageIndex;
    private string? _error;

    [Inject]
    private MemoryExplorer Explorer { get; set; } = default!;

    [Inject]
    private MemoryVectorIndexer Vectors { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>Words to start with, e.g. from a link <c>/memory?q=acme</c>.</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? InitialQuery { get; set; }

    [SupplyParameterFromQuery(Name = "scope")]
    public string? InitialScope { get; set; }

    /// <summary><c>/memory?needsReview=true</c>: only the facts flagged for review.</summary>
    [SupplyParameterFromQuery(Name = "needsReview")]
    public bool? InitialNeedsReview { get; set; }

    private bool Searching => !string.IsNullOrWhiteSpace(_q);

    private bool Filtered => _type is not null || _scope is not null || _source is not null || _changed != "any" || !string.IsNullOrWhiteSpace(_subject)
        || _needsReview;

    private int PageCount => _page is null ? 0 : (_page.Total + ExplorerQuery.DefaultPageSize - 1) / ExplorerQuery.DefaultPageSize;

    private IReadOnlyList<FacetCount>? TypeFacets => _page?.Types;

    /// <summary>With recall by meaning on, each hit says whether its words, its meaning or both found it.</summary>
    private bool ShowsMatch => Searching && Vectors.Status.Configured;

    /// <summary>How the words were looked up: full text alone, or full text fused with meaning (and what is not embedded yet).</summary>
    private string RecallText => Vectors.Status switch
    {
        { Configured: false } => "full-text only: no embeddings model configured",
        { Pending: > 0 and var pending } s => $"by words and meaning ({s.Model}); {pending} item(s) not embedded yet"
            + (s.LastError is null ? string.Empty : " — the embeddings endpoint is failing"),
        var s => $"by words and meaning ({s.Model})",
    };

    private string CountText => _page is null ? string.Empty
        : (_page.Total == 1 ? "1 item" : $"{_page.Total} items")
            + (_page.Capped ? $" among the {MemorySearch.MaxLimit} best matches" : string.Empty)
            + (PageCount > 1 ? $" · page {_pageIndex + 1} of {PageCount}" : string.Empty);

    protected override async Task OnInitializedAsync()
    {
        _q = InitialQuery;
        _scope = string.IsNullOrWhiteSpace(InitialScope) ? null : InitialScope;
        _needsReview = InitialNeedsReview == true;
        await LoadAsync();
    }

    private Task SearchAsync(string? q) => Reload(() => _q = q);

    private Task SetTypeAsync(string? type) => Reload(() => _type = type);

    private Task SetScopeAsync(string? scope) => Reload(() => _scope = scope);

    private Task SetSourceAsync(string? source) =>
        Reload(() => _source = Enum.TryParse<ProvenanceSource>(source, out var parsed) ? parsed : null);

    private Task SetChangedAsync(string changed) => Reload(() => _changed = changed);

    private Task SetSubjectAsync(string? subject) => Reload(() => _subject = subject);

    private Task SetNeedsReviewAsync(bool needsReview) => Reload(() => _needsReview = needsReview);

    private Task ClearFiltersAsync() => Reload(() =>
    {
        _type = _scope = _subject = null;
        _source = null;
        _changed = "any";
        _needsReview = false;
    });

    private async Task GoToPageAsync(int page)
    {
        _pageIndex = page - 1;
        await LoadAsync();
    }

    /// <summary>A changed filter starts again at the first page.</summary>
    private async Task Reload(Action change)
    {
        change();
        _pageIndex = 0;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var since = Periods.Single(p => p.Key == _changed).Span is { } span ? Clock.GetUtcNow().UtcDateTime - span : (DateTime?)null;
        try
        {
            _page = await Explorer.BrowseAsync(new ExplorerQuery(_q, _type, _scope, _source, since, _subject, _pageIndex) { NeedsReview = _needsReview });
            _error = null;
        }
        catch (MemoryValidationException ex)
        {
            _page = ExplorerPage.Empty;
            _error = string.Join(" ", ex.Problems.Select(p => p.Message));
        }
    }

    private async Task AddFactAsync()
    {
        var dialog = await Dialogs.ShowAsync<FactDialog>("Add fact");
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add("Fact saved.", Severity.Success);
        }
    }

    private async Task AddDecisionAsync()
    {
        var dialog = await Dialogs.ShowAsync<DecisionDialog>("Add decision");
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
            Snackbar.Add("Decision saved.", Severity.Success);
        }
    }

    private static Color MatchColor(string match) => match switch
    {
        MemoryMatch.Both => Color.Success,
        MemoryMatch.Meaning => Color.Info,
        _ => Color.Default,
    };

    private static string MatchTitle(string match) => match switch
    {
        MemoryMatch.Both => "Found by its words and its meaning",
        MemoryMatch.Meaning => "Found by its meaning, not by its words",
        _ => "Found by its words",
    };

    internal static string Percent(double confidence) => confidence.ToString("P0", CultureInfo.InvariantCulture);

    /// <summary>The relevance score, for the curious: ranks are comparable only within one answer, so it is not a column.</summary>
    private static string? ScoreTitle(ExplorerItem item) =>
        item.Score is { } score ? $"Relevance {score.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}" : null;

    internal static string SourceText(Provenance? provenance) => provenance is { } p ? $"{p.Source}: {p.Actor}" : "—";
}
