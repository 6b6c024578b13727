using System.Text.RegularExpressions;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A recall request, fields named as the HTTP API names them: <see cref="Q"/> the words to look for (empty: the newest
/// items), <see cref="Type"/> one of <see cref="MemorySearch.Types"/> (empty: all), <see cref="Scope"/> one privacy scope
/// (empty: all), <see cref="Limit"/> 1 to <see cref="MemorySearch.MaxLimit"/> (default <see cref="MemorySearch.DefaultLimit"/>).
/// </summary>
public sealed record MemoryQuery(string? Q, string? Type = null, string? Scope = null, int? Limit = null);

/// <summary>One recalled item. <see cref="Score"/>: higher is more relevant, comparable within one answer; null without words.</summary>
public sealed record MemoryHit(string Type, Fact Fact, double? Score);

/// <summary>
/// Ranked full-text recall over memory. Words match whole tokens, case- and accent-insensitively; a word of three or more
/// characters also matches as a prefix (<c>pay</c> finds <c>payment</c>). Any word may match (OR): items that match more
/// and rarer words, in the subject rather than the predicate or value, rank first; ties go to the newest.
/// <list type="bullet">
/// <item>SQLite: the FTS5 table <c>FactsSearch</c>, kept in sync by triggers on <c>Facts</c>, ranked by BM25 with column
/// weights subject 4, predicate 2, value 1.</item>
/// <item>PostgreSQL: a GIN index over a weighted <c>tsvector</c> (<c>simple</c> configuration: no stemming, as in SQLite),
/// ranked by <c>ts_rank_cd</c> with the same proportions. PostgreSQL has no BM25; ranks are not comparable across
/// providers.</item>
/// </list>
/// Only facts exist so far; decisions, records and summaries join as further <see cref="Types"/>.
/// </summary>
public sealed partial class MemorySearch(IDbContextFactory<BlazorOsDbContext> dbFactory)
{
    public const string FactType = "fact";
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 500;
    private const int MaxTerms = 16;
    private const int PrefixFrom = 3;

    public static readonly IReadOnlyList<string> Types = [FactType];

    private const string SqliteSql = """
        SELECT r."FactId" AS "FactId", bm25("FactsSearch", 4.0, 2.0, 1.0) AS "Rank"
        FROM "FactsSearch"
        JOIN "FactsSearchRows" AS r ON r."RowId" = "FactsSearch".rowid
        JOIN "Facts" AS f ON f."Id" = r."FactId"
        WHERE "FactsSearch" MATCH {0} AND ({1} = '' OR f."Scope" = {1})
        ORDER BY "Rank", f."UpdatedAt" DESC
        LIMIT {2}
        """;

    // The expression the migration indexes (IX_Facts_Search): PostgreSQL uses the index only for this very expression.
    private const string PostgresVector = """
        setweight(to_tsvector('simple'::regconfig, f."Subject"), 'A') ||
                setweight(to_tsvector('simple'::regconfig, f."Predicate"), 'B') ||
                setweight(to_tsvector('simple'::regconfig, f."ValueText" || ' ' || coalesce(f."Currency", '')), 'C')
        """;

    // The rank is negated so that, as with bm25(), lower ranks first. Weights {D, C, B, A}: value 0.25, predicate 0.5, subject 1.
    private const string PostgresSql = $$"""
        SELECT f."Id" AS "FactId", -ts_rank_cd(ARRAY[0.1, 0.25, 0.5, 1.0]::real[], {{PostgresVector}}, q)::double precision AS "Rank"
        FROM "Facts" AS f, to_tsquery('simple'::regconfig, {0}) AS q
        WHERE ({{PostgresVector}}) @@ q AND ({1} = '' OR f."Scope" = {1})
        ORDER BY "Rank", f."UpdatedAt" DESC
        LIMIT {2}
        """;

    /// <summary>Throws <see cref="MemoryValidationException"/> naming every bad field (q, type, scope, limit).</summary>
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(MemoryQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Validate(query);
        var terms = Terms(query.Q);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(query.Q))
        {
            var newest = await db.Facts.AsNoTracking().Include(f => f.Provenance)
                .Where(f => query.Scope == null || f.Scope == query.Scope)
                .OrderByDescending(f => f.UpdatedAt).Take(limit).ToListAsync(cancellationToken);
            return newest.Select(f => new MemoryHit(FactType, f, Score: null)).ToList();
        }

        if (terms.Count == 0)
        {
            return [];
        }

        // No scope is '' rather than NULL: PostgreSQL cannot type a parameter that is only compared with NULL.
        var (sql, match) = db.Database.IsSqlite() ? (SqliteSql, SqliteMatch(terms)) : (PostgresSql, PostgresMatch(terms));
        var rows = await db.Database.SqlQueryRaw<RankedRow>(sql, match, query.Scope ?? string.Empty, limit).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.FactId).ToList();
        var facts = await db.Facts.AsNoTracking().Include(f => f.Provenance).Where(f => ids.Contains(f.Id))
            .ToDictionaryAsync(f => f.Id, cancellationToken);
        return rows.Where(r => facts.ContainsKey(r.FactId))
            .OrderBy(r => r.Rank).ThenByDescending(r => facts[r.FactId].UpdatedAt)
            .Select(r => new MemoryHit(FactType, facts[r.FactId], -r.Rank)).ToList();
    }

    /// <summary>The words of a query: runs of letters and digits, lower case, at most <see cref="MaxTerms"/>.</summary>
    internal static IReadOnlyList<string> Terms(string? text) => text is null
        ? []
        : Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();

    /// <summary>An FTS5 query that cannot be syntax: every term quoted (terms are letters and digits only).</summary>
    internal static string SqliteMatch(IReadOnlyList<string> terms) =>
        string.Join(" OR ", terms.Select(t => t.Length >= PrefixFrom ? $"\"{t}\"*" : $"\"{t}\""));

    internal static string PostgresMatch(IReadOnlyList<string> terms) =>
        string.Join(" | ", terms.Select(t => t.Length >= PrefixFrom ? $"'{t}':*" : $"'{t}'"));

    private static int Validate(MemoryQuery query)
    {
        var problems = new List<MemoryProblem>();
        if (query.Q is { Length: > MaxQueryLength })
        {
            problems.Add(new MemoryProblem("q", $"A query has at most {MaxQueryLength} characters."));
        }

        if (!string.IsNullOrEmpty(query.Type) && !Types.Contains(query.Type))
        {
            problems.Add(new MemoryProblem("type", $"Unknown type '{query.Type}'. Use one of: {string.Join(", ", Types)}."));
        }

        if (query.Scope is not null && !MemoryScope.IsValid(query.Scope))
        {
            problems.Add(new MemoryProblem("scope", $"'{query.Scope}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        if (query.Limit is < 1 or > MaxLimit)
        {
            problems.Add(new MemoryProblem("limit", $"A limit is from 1 to {MaxLimit}."));
        }

        return problems.Count > 0 ? throw new MemoryValidationException(problems) : query.Limit ?? DefaultLimit;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    private sealed record RankedRow(Guid FactId, double Rank);
}
