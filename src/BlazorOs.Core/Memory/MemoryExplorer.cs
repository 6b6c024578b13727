using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// What the memory explorer asks for: words (<see cref="Q"/>, ranked by <see cref="MemorySearch"/>), and filters on type,
/// privacy scope, source, time (changed at or after <see cref="Since"/>) and subject (contains, case-insensitive); one page.
/// </summary>
public sealed record ExplorerQuery(string? Q = null, string? Type = null, string? Scope = null, ProvenanceSource? Source = null,
    DateTime? Since = null, string? Subject = null, int Page = 0, int PageSize = ExplorerQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 25;
}

/// <summary>One item of a page; <see cref="Score"/> only when words were given. Decisions, records and summaries join here.</summary>
public sealed record ExplorerItem(string Type, Guid Id, double? Score, Fact Fact);

/// <summary>How many items have a facet's value, among those the other filters keep.</summary>
public sealed record FacetCount(string Value, int Count);

/// <summary>
/// One page of the explorer. <see cref="Total"/> counts every match; with words only the <see cref="MemorySearch.MaxLimit"/>
/// best are ranked and filtered (<see cref="Capped"/> says the limit was reached).
/// </summary>
public sealed record ExplorerPage(IReadOnlyList<ExplorerItem> Items, int Total, bool Capped, IReadOnlyList<FacetCount> Types,
    IReadOnlyList<FacetCount> Scopes, IReadOnlyList<FacetCount> Sources);

/// <summary>
/// Browses memory for the explorer: filters and facet counts in the database, paged newest first; with words, the ranked
/// hits of <see cref="MemorySearch"/> filtered and paged in order of rank. Each facet counts what the other filters keep,
/// so choosing a scope still shows how many items each other scope has.
/// </summary>
public sealed class MemoryExplorer(IDbContextFactory<BlazorOsDbContext> dbFactory, MemorySearch search)
{
    public const int MaxPageSize = 100;

    /// <summary>Throws <see cref="MemoryValidationException"/> for words or a scope that search cannot take.</summary>
    public async Task<ExplorerPage> BrowseAsync(ExplorerQuery query, CancellationToken cancellationToken = default)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var skip = Math.Max(query.Page, 0) * size;
        if (!string.IsNullOrEmpty(query.Type) && !MemorySearch.Types.Contains(query.Type))
        {
            return new ExplorerPage([], 0, false, [], [], []);
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            return await RankedAsync(query, skip, size, cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = db.Facts.AsNoTracking();
        var matching = Filter(all, query);
        var total = await matching.CountAsync(cancellationToken);
        var facts = await matching.Include(f => f.Provenance).OrderByDescending(f => f.UpdatedAt).ThenByDescending(f => f.Id)
            .Skip(skip).Take(size).ToListAsync(cancellationToken);
        var scopes = await Filter(all, query with { Scope = null }).GroupBy(f => f.Scope)
            .Select(g => new FacetCount(g.Key, g.Count())).ToListAsync(cancellationToken);
        var sources = await Filter(all, query with { Source = null }).GroupBy(f => f.Provenance!.Source)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var types = await Filter(all, query with { Type = null }).CountAsync(cancellationToken);
        return new ExplorerPage(facts.Select(f => new ExplorerItem(MemorySearch.FactType, f.Id, null, f)).ToList(), total, false,
            TypeFacet(types), Ordered(scopes), Ordered(sources.Select(s => new FacetCount(s.Key.ToString(), s.Count))));
    }

    private async Task<ExplorerPage> RankedAsync(ExplorerQuery query, int skip, int size, CancellationToken cancellationToken)
    {
        var hits = await search.SearchAsync(new MemoryQuery(query.Q, Limit: MemorySearch.MaxLimit), cancellationToken);
        var kept = hits.Where(h => Keeps(h.Fact, query)).ToList();
        return new ExplorerPage(
            kept.Skip(skip).Take(size).Select(h => new ExplorerItem(h.Type, h.Fact.Id, h.Score, h.Fact)).ToList(),
            kept.Count,
            hits.Count >= MemorySearch.MaxLimit,
            TypeFacet(hits.Count(h => Keeps(h.Fact, query with { Type = null }))),
            Ordered(hits.Where(h => Keeps(h.Fact, query with { Scope = null })).GroupBy(h => h.Fact.Scope)
                .Select(g => new FacetCount(g.Key, g.Count()))),
            Ordered(hits.Where(h => Keeps(h.Fact, query with { Source = null })).GroupBy(h => h.Fact.Provenance?.Source)
                .Where(g => g.Key is not null).Select(g => new FacetCount(g.Key!.Value.ToString(), g.Count()))));
    }

    private static IQueryable<Fact> Filter(IQueryable<Fact> facts, ExplorerQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Scope))
        {
            facts = facts.Where(f => f.Scope == query.Scope);
        }

        if (query.Source is { } source)
        {
            facts = facts.Where(f => f.Provenance!.Source == source);
        }

        if (query.Since is { } since)
        {
            facts = facts.Where(f => f.UpdatedAt >= since);
        }

        if (!string.IsNullOrWhiteSpace(query.Subject))
        {
            var pattern = $"%{query.Subject.Trim()}%";
            facts = facts.Where(f => EF.Functions.Like(f.Subject, pattern));
        }

        return facts;
    }

    /// <summary>The same filters as <see cref="Filter"/>, for ranked hits already loaded.</summary>
    private static bool Keeps(Fact fact, ExplorerQuery query) =>
        (string.IsNullOrEmpty(query.Type) || query.Type == MemorySearch.FactType)
        && (string.IsNullOrWhiteSpace(query.Scope) || fact.Scope == query.Scope)
        && (query.Source is null || fact.Provenance?.Source == query.Source)
        && (query.Since is null || fact.UpdatedAt >= query.Since)
        && (string.IsNullOrWhiteSpace(query.Subject) || fact.Subject.Contains(query.Subject.Trim(), StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<FacetCount> TypeFacet(int facts) => facts > 0 ? [new FacetCount(MemorySearch.FactType, facts)] : [];

    private static List<FacetCount> Ordered(IEnumerable<FacetCount> counts) =>
        counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).ToList();
}
