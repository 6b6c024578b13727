using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// What the memory explorer asks for: words (<see cref="Q"/>, ranked by <see cref="MemorySearch"/>), and filters on type,
/// privacy scope, source, time (changed at or after <see cref="Since"/>) and subject (a fact's subject or a record's title
/// contains it, case-insensitive; decisions and summaries have no subject); one page.
/// </summary>
public sealed record ExplorerQuery(string? Q = null, string? Type = null, string? Scope = null, ProvenanceSource? Source = null,
    DateTime? Since = null, string? Subject = null, int Page = 0, int PageSize = ExplorerQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 25;

    /// <summary>Only facts flagged for review (<see cref="Fact.NeedsReview"/>: a low-confidence conflict waits for the operator).</summary>
    public bool NeedsReview { get; init; }
}

/// <summary>
/// One item of a page, whatever its type: a one-line <see cref="Title"/> and <see cref="Text"/>, and the item itself in the
/// property of its type. <see cref="Score"/> only when words were given.
/// </summary>
public sealed record ExplorerItem(string Type, Guid Id, string Title, string Text, string Scope, DateTime UpdatedAt, double? Score,
    Provenance? Provenance)
{
    public Fact? Fact { get; init; }
    public Decision? Decision { get; init; }
    public MemoryRecord? Record { get; init; }
    public Summary? Summary { get; init; }

    /// <summary>How the search found it (<c>text</c>, <c>meaning</c>, <c>both</c>); null without words.</summary>
    public string? Match { get; init; }
}

/// <summary>How many items have a facet's value, among those the other filters keep.</summary>
public sealed record FacetCount(string Value, int Count);

/// <summary>
/// One page of the explorer. <see cref="Total"/> counts every match; with words only the <see cref="MemorySearch.MaxLimit"/>
/// best are ranked and filtered (<see cref="Capped"/> says the limit was reached). <see cref="NeedingReview"/> counts the
/// facts flagged for review among what the other filters keep.
/// </summary>
public sealed record ExplorerPage(IReadOnlyList<ExplorerItem> Items, int Total, bool Capped, IReadOnlyList<FacetCount> Types,
    IReadOnlyList<FacetCount> Scopes, IReadOnlyList<FacetCount> Sources, int NeedingReview = 0)
{
    public static ExplorerPage Empty { get; } = new([], 0, false, [], [], []);
}

/// <summary>
/// Browses memory for the explorer. Without words: facts, decisions, records and summaries as one list (a UNION ALL of
/// the four tables, so filters, facet counts and pages are computed by the database), newest first. With words: the
/// ranked hits of <see cref="MemorySearch"/>, filtered and paged in order of rank. Each facet counts what the other
/// filters keep, so choosing a scope still shows how many items each other scope has.
/// </summary>
public sealed class MemoryExplorer(IDbContextFactory<BlazorOsDbContext> dbFactory, MemorySearch search)
{
    public const int MaxPageSize = 100;

    /// <summary>Throws <see cref="MemoryValidationException"/> for words or a scope that search cannot take.</summary>
    public async Task<ExplorerPage> BrowseAsync(ExplorerQuery query, CancellationToken cancellationToken = default)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var skip = Math.Max(query.Page, 0) * size;
        if (!string.IsNullOrEmpty(query.Type) && !MemoryItemTypes.Items.Contains(query.Type))
        {
            return ExplorerPage.Empty;
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            return await RankedAsync(query, skip, size, cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = Rows(db);
        var matching = Filter(all, query);
        var total = await matching.CountAsync(cancellationToken);
        var page = await matching.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id).Skip(skip).Take(size)
            .Select(r => new { r.Type, r.Id }).ToListAsync(cancellationToken);
        var loaded = await MemoryItemLoader.LoadAsync(db, [.. page.Select(p => (p.Type, p.Id))], cancellationToken);
        var types = await Filter(all, query with { Type = null }).GroupBy(r => r.Type)
            .Select(g => new FacetCount(g.Key, g.Count())).ToListAsync(cancellationToken);
        var scopes = await Filter(all, query with { Scope = null }).GroupBy(r => r.Scope)
            .Select(g => new FacetCount(g.Key, g.Count())).ToListAsync(cancellationToken);
        var sources = await Filter(all, query with { Source = null }).Where(r => r.Source != null).GroupBy(r => r.Source)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var needingReview = await Filter(all, query with { NeedsReview = false }).CountAsync(r => r.NeedsReview, cancellationToken);
        return new ExplorerPage([.. page.Where(p => loaded.ContainsKey(p.Id)).Select(p => Item(loaded[p.Id]))], total, false, Ordered(types),
            Ordered(scopes), Ordered(sources.Select(s => new FacetCount(s.Key!.Value.ToString(), s.Count))), needingReview);
    }

    private async Task<ExplorerPage> RankedAsync(ExplorerQuery query, int skip, int size, CancellationToken cancellationToken)
    {
        // Type, scope, source and subject are filtered here rather than in the search, so their facets can count what the
        // other filters keep among the same best matches.
        var hits = await search.SearchAsync(new MemoryQuery(query.Q, Limit: MemorySearch.MaxLimit) { Since = query.Since }, cancellationToken);
        var items = hits.Select(Item).ToList();
        var kept = items.Where(i => Keeps(i, query)).ToList();
        return new ExplorerPage(
            [.. kept.Skip(skip).Take(size)],
            kept.Count,
            hits.Count >= MemorySearch.MaxLimit,
            Ordered(items.Where(i => Keeps(i, query with { Type = null })).GroupBy(i => i.Type).Select(g => new FacetCount(g.Key, g.Count()))),
            Ordered(items.Where(i => Keeps(i, query with { Scope = null })).GroupBy(i => i.Scope).Select(g => new FacetCount(g.Key, g.Count()))),
            Ordered(items.Where(i => Keeps(i, query with { Source = null }) && i.Provenance is not null).GroupBy(i => i.Provenance!.Source)
                .Select(g => new FacetCount(g.Key.ToString(), g.Count()))),
            items.Count(i => Keeps(i, query with { NeedsReview = false }) && i.Fact?.NeedsReview == true));
    }

    /// <summary>Every memory item as one row shape, so one query filters, counts and pages them all.</summary>
    private static IQueryable<ItemRow> Rows(BlazorOsDbContext db) =>
        db.Facts.Select(f => new ItemRow
        {
            Type = MemoryItemTypes.Fact, Id = f.Id, Scope = f.Scope, UpdatedAt = f.UpdatedAt,
            Source = f.Provenance == null ? null : f.Provenance.Source, Subject = f.Subject, NeedsReview = f.NeedsReview,
        })
        .Concat(db.Decisions.Select(d => new ItemRow
        {
            Type = MemoryItemTypes.Decision, Id = d.Id, Scope = d.Scope, UpdatedAt = d.UpdatedAt,
            Source = d.Provenance == null ? null : d.Provenance.Source, Subject = null, NeedsReview = false,
        }))
        .Concat(db.Records.Select(r => new ItemRow
        {
            Type = MemoryItemTypes.Record, Id = r.Id, Scope = r.Scope, UpdatedAt = r.UpdatedAt,
            Source = r.Provenance == null ? null : r.Provenance.Source, Subject = r.Title, NeedsReview = false,
        }))
        .Concat(db.Summaries.Select(s => new ItemRow
        {
            Type = MemoryItemTypes.Summary, Id = s.Id, Scope = s.Scope, UpdatedAt = s.CreatedAt,
            Source = s.Provenance == null ? null : s.Provenance.Source, Subject = null, NeedsReview = false,
        }));

    private static IQueryable<ItemRow> Filter(IQueryable<ItemRow> rows, ExplorerQuery query)
    {
        if (!string.IsNullOrEmpty(query.Type))
        {
            rows = rows.Where(r => r.Type == query.Type);
        }

        if (!string.IsNullOrWhiteSpace(query.Scope))
        {
            rows = rows.Where(r => r.Scope == query.Scope);
        }

        if (query.Source is { } source)
        {
            rows = rows.Where(r => r.Source == source);
        }

        if (query.Since is { } since)
        {
            rows = rows.Where(r => r.UpdatedAt >= since);
        }

        if (!string.IsNullOrWhiteSpace(query.Subject))
        {
            var pattern = $"%{query.Subject.Trim()}%";
            rows = rows.Where(r => r.Subject != null && EF.Functions.Like(r.Subject, pattern));
        }

        if (query.NeedsReview)
        {
            rows = rows.Where(r => r.NeedsReview);
        }

        return rows;
    }

    /// <summary>The same filters as <see cref="Filter"/>, for ranked hits already loaded.</summary>
    private static bool Keeps(ExplorerItem item, ExplorerQuery query) =>
        (string.IsNullOrEmpty(query.Type) || query.Type == item.Type)
        && (string.IsNullOrWhiteSpace(query.Scope) || item.Scope == query.Scope)
        && (query.Source is null || item.Provenance?.Source == query.Source)
        && (query.Since is null || item.UpdatedAt >= query.Since)
        && (string.IsNullOrWhiteSpace(query.Subject)
            || (item.Fact?.Subject ?? item.Record?.Title)?.Contains(query.Subject.Trim(), StringComparison.OrdinalIgnoreCase) == true)
        && (!query.NeedsReview || item.Fact?.NeedsReview == true);

    private static ExplorerItem Item(MemoryHit h) => new(h.Type, h.Id, h.Title, h.Text, h.Scope, h.UpdatedAt, h.Score, h.Provenance)
    {
        Fact = h.Fact,
        Decision = h.Decision,
        Record = h.Record,
        Summary = h.Summary,
        Match = h.Match,
    };

    private static List<FacetCount> Ordered(IEnumerable<FacetCount> counts) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)];

    /// <summary>The columns the explorer filters, counts and sorts by, common to every item type.</summary>
    private sealed class ItemRow
    {
        public required string Type { get; init; }
        public required Guid Id { get; init; }
        public required string Scope { get; init; }
        public required DateTime UpdatedAt { get; init; }
        public required ProvenanceSource? Source { get; init; }
        public required string? Subject { get; init; }
        public required bool NeedsReview { get; init; }
    }
}
