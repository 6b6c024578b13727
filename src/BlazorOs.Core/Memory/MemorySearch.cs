using System.Text;
using System.Text.RegularExpressions;
using BlazorOs.Core.Data;
using BlazorOs.Core.Memory.Vectors;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A recall request, fields named as the HTTP API names them: <see cref="Q"/> the words to look for (empty: the newest
/// items), <see cref="Type"/> one of <see cref="MemorySearch.Types"/> (empty: all), <see cref="Scope"/> one privacy scope
/// (empty: all), <see cref="Limit"/> 1 to <see cref="MemorySearch.MaxLimit"/> (default <see cref="MemorySearch.DefaultLimit"/>).
/// </summary>
public sealed record MemoryQuery(string? Q, string? Type = null, string? Scope = null, int? Limit = null)
{
    /// <summary>Only facts with this subject and records with this title (exact); decisions and summaries have no subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Only items changed (summaries: made) at or after this time, UTC.</summary>
    public DateTime? Since { get; init; }

    /// <summary>Only items changed (summaries: made) before this time, UTC.</summary>
    public DateTime? Until { get; init; }

    /// <summary>The scopes the caller may read (a playbook's declaration); items of other scopes are never returned.</summary>
    public MemoryScopeSet Readable { get; init; } = MemoryScopeSet.All;
}

/// <summary>
/// One recalled item: its <see cref="Type"/> and id, a one-line <see cref="Title"/> and <see cref="Text"/> (for a fact:
/// subject and predicate, and the value), and the item itself in the property of its type. <see cref="Score"/>: higher
/// is more relevant, comparable within one answer; null without words.
/// </summary>
public sealed record MemoryHit(string Type, Guid Id, string Title, string Text, string Scope, DateTime UpdatedAt, double? Score,
    Provenance? Provenance)
{
    public Fact? Fact { get; init; }
    public Decision? Decision { get; init; }
    public MemoryRecord? Record { get; init; }
    public Summary? Summary { get; init; }

    /// <summary>How it was found with words: <see cref="MemoryMatch"/> text, meaning or both; null without words.</summary>
    public string? Match { get; init; }
}

/// <summary>
/// Ranked full-text recall over facts, decisions, records and summaries. Words match whole tokens, case- and
/// accent-insensitively; a word of three or more characters also matches as a prefix (<c>pay</c> finds <c>payment</c>).
/// Any word may match (OR): items that match more and rarer words, in the title rather than the label or body, rank
/// first; ties go to the newest.
/// <list type="bullet">
/// <item>SQLite: FTS5 tables kept in sync by triggers — <c>FactsSearch</c> (subject, predicate, value) and
/// <c>MemoryItemsSearch</c> (title, label, body of decisions, records and summaries) — ranked by BM25 with column weights
/// 4, 2, 1. Each type is asked for its best <c>limit</c> and the answers are merged by BM25 score: the two tables have
/// their own term statistics, so a fact and a decision with equal text may score a little differently.</item>
/// <item>PostgreSQL: GIN indexes over weighted <c>tsvector</c>s (<c>simple</c> configuration: no stemming, as in SQLite),
/// ranked by <c>ts_rank_cd</c> with the same proportions. PostgreSQL has no BM25; ranks are not comparable across
/// providers.</item>
/// </list>
/// Filters (scope, readable scopes, subject, time) are applied inside each query, so a filter never empties a page that
/// had matches further down. With an embeddings model configured, <see cref="MemoryVectorSearch"/> fuses these ranks with
/// recall by meaning (hybrid ranking); without one, or when it fails, the search is full text alone.
/// </summary>
public sealed partial class MemorySearch(IDbContextFactory<BlazorOsDbContext> dbFactory, MemoryVectorSearch? vectors = null)
{
    public const string FactType = MemoryItemTypes.Fact;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>What steps may ask for (memory.read): more than the API's page.</summary>
    public const int MaxStepLimit = FactService.MaxResults;

    public const int MaxQueryLength = 500;
    private const int MaxTerms = 16;
    private const int PrefixFrom = 3;

    /// <summary>How many best matches per result a filtered fact search looks through before it ranks every match.</summary>
    private const int FilterWindowFactor = 50;

    public static readonly IReadOnlyList<string> Types = MemoryItemTypes.Items;

    private static readonly IReadOnlyDictionary<string, Source> Sources = new Dictionary<string, Source>
    {
        [MemoryItemTypes.Fact] = new("Facts", "UpdatedAt", "Subject", "FactsSearch", "FactsSearchRows", "FactId", null, """
            setweight(to_tsvector('simple'::regconfig, f."Subject"), 'A') ||
                    setweight(to_tsvector('simple'::regconfig, f."Predicate"), 'B') ||
                    setweight(to_tsvector('simple'::regconfig, f."ValueText" || ' ' || coalesce(f."Currency", '')), 'C')
            """),
        [MemoryItemTypes.Decision] = new("Decisions", "UpdatedAt", null, "MemoryItemsSearch", "MemoryItemsSearchRows", "ItemId", "decision", """
            setweight(to_tsvector('simple'::regconfig, f."Title"), 'A') ||
                    setweight(to_tsvector('simple'::regconfig, f."AlternativesJson"), 'B') ||
                    setweight(to_tsvector('simple'::regconfig, coalesce(f."Rationale", '')), 'C')
            """),
        [MemoryItemTypes.Record] = new("Records", "UpdatedAt", "Title", "MemoryItemsSearch", "MemoryItemsSearchRows", "ItemId", "record", """
            setweight(to_tsvector('simple'::regconfig, f."Title"), 'A') ||
                    setweight(to_tsvector('simple'::regconfig, f."ValuesJson"), 'C')
            """),
        [MemoryItemTypes.Summary] = new("Summaries", "CreatedAt", null, "MemoryItemsSearch", "MemoryItemsSearchRows", "ItemId", "summary", """
            setweight(to_tsvector('simple'::regconfig, f."Title"), 'A') ||
                    setweight(to_tsvector('simple'::regconfig, f."Text"), 'C')
            """),
    };

    /// <summary>Throws <see cref="MemoryValidationException"/> naming every bad field (q, type, scope, limit).</summary>
    public Task<IReadOnlyList<MemoryHit>> SearchAsync(MemoryQuery query, CancellationToken cancellationToken = default) =>
        SearchAsync(query, MaxLimit, cancellationToken);

    /// <summary>As <see cref="SearchAsync(MemoryQuery, CancellationToken)"/> with a higher page limit, for steps.</summary>
    internal async Task<IReadOnlyList<MemoryHit>> SearchAsync(MemoryQuery query, int maxLimit, CancellationToken cancellationToken)
    {
        var limit = Validate(query, maxLimit);
        var terms = Terms(query.Q);
        var words = !string.IsNullOrWhiteSpace(query.Q);
        if (words && terms.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        var types = string.IsNullOrEmpty(query.Type) ? Types : [query.Type];
        var ranked = new List<(string Type, RankedRow Row)>();
        foreach (var type in types)
        {
            var source = Sources[type];
            if (query.Subject is not null && source.SubjectColumn is null)
            {
                continue;
            }

            var match = words ? (sqlite ? SqliteMatch(terms) : PostgresMatch(terms)) : null;
            List<RankedRow>? rows = null;
            if (match is not null && sqlite && source.RowsItemType is null && !IsUnfiltered(query))
            {
                // Filtered facts: look among the best-ranked matches first. If the window holds a full page of items that
                // pass the filters, they are the best such items (any better one would rank inside the window too).
                var (windowSql, windowParameters) = BuildSql(source, query, match, sqlite, limit, limit * FilterWindowFactor);
                rows = await db.Database.SqlQueryRaw<RankedRow>(windowSql, windowParameters).ToListAsync(cancellationToken);
                rows = rows.Count >= limit ? rows : null;
            }

            if (rows is null)
            {
                var (sql, parameters) = BuildSql(source, query, match, sqlite, limit);
                rows = await db.Database.SqlQueryRaw<RankedRow>(sql, parameters).ToListAsync(cancellationToken);
            }

            ranked.AddRange(rows.Select(r => (type, r)));
        }

        // Hybrid recall (Memory/Vectors): the text ranks fused with the nearest items by meaning that pass the same filters.
        Dictionary<Guid, string>? matches = null;
        if (words && vectors is { IsEnabled: true }
            && await vectors.FuseAsync(db, query, types, limit, [.. ranked.OrderBy(r => r.Row.Rank).Select(r => (r.Type, r.Row.Id))],
                cancellationToken) is { } fused)
        {
            ranked = [.. fused.Select(f => (f.Type, new RankedRow(f.Id, -f.Score)))];
            matches = fused.ToDictionary(f => f.Id, f => f.Match);
        }

        var hits = await LoadAsync(db, ranked, cancellationToken);
        return [.. ranked.Where(r => hits.ContainsKey(r.Row.Id))
            .Select(r => hits[r.Row.Id] with
            {
                Score = words ? -r.Row.Rank : null,
                Match = words ? matches?.GetValueOrDefault(r.Row.Id) ?? MemoryMatch.Text : null,
            })
            .OrderByDescending(h => h.Score ?? 0).ThenByDescending(h => h.UpdatedAt).Take(limit)];
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

    /// <summary>
    /// One type's query: matches ranked (BM25 or ts_rank_cd, negated so lower ranks first on both) or, without words,
    /// the newest. Every value is a parameter; only column and table names from <see cref="Sources"/> are spliced in.
    /// </summary>
    private static (string Sql, object[] Parameters) BuildSql(Source source, MemoryQuery query, string? match, bool sqlite, int limit,
        int? window = null)
    {
        var parameters = new List<object>();
        string P(object value)
        {
            parameters.Add(value);
            return $"{{{parameters.Count - 1}}}";
        }

        var at = $"f.\"{source.AtColumn}\"";
        var where = new StringBuilder("1 = 1");
        string select, from, order;
        if (match is null)
        {
            select = $"f.\"Id\" AS \"Id\", CAST(0 AS double precision) AS \"Rank\"";
            from = $"\"{source.Table}\" AS f";
            order = $"{at} DESC";
        }
        else if (sqlite && source.RowsItemType is null && IsUnfiltered(query))
        {
            // Fast path: rank inside the FTS table and join only the page. With a join first, every match (a common word
            // matches a large share of a million facts) costs two index lookups before the sort.
            select = "r.\"FactId\" AS \"Id\", m.\"Rank\" AS \"Rank\"";
            from = $"(SELECT rowid, bm25(\"{source.FtsTable}\", 4.0, 2.0, 1.0) AS \"Rank\" FROM \"{source.FtsTable}\" " +
                $"WHERE \"{source.FtsTable}\" MATCH {P(match)} ORDER BY \"Rank\" LIMIT {P(limit)}) AS m " +
                $"JOIN \"{source.RowsTable}\" AS r ON r.\"RowId\" = m.rowid";
            return ($"SELECT {select} FROM {from} ORDER BY m.\"Rank\"", [.. parameters]);
        }
        else if (sqlite && window is { } size)
        {
            select = "f.\"Id\" AS \"Id\", m.\"Rank\" AS \"Rank\"";
            from = $"(SELECT rowid, bm25(\"{source.FtsTable}\", 4.0, 2.0, 1.0) AS \"Rank\" FROM \"{source.FtsTable}\" " +
                $"WHERE \"{source.FtsTable}\" MATCH {P(match)} ORDER BY \"Rank\" LIMIT {P(size)}) AS m " +
                $"CROSS JOIN \"{source.RowsTable}\" AS r CROSS JOIN \"{source.Table}\" AS f";
            // CROSS JOIN fixes the order in SQLite: the window first. Left to itself the planner may walk the scope index
            // of the whole table and probe the window for each row.
            where.Append($" AND r.\"RowId\" = m.rowid AND f.\"Id\" = r.\"{source.RowsKey}\"");
            order = $"m.\"Rank\", {at} DESC";
        }
        else if (sqlite)
        {
            select = $"f.\"Id\" AS \"Id\", bm25(\"{source.FtsTable}\", 4.0, 2.0, 1.0) AS \"Rank\"";
            from = $"\"{source.FtsTable}\" JOIN \"{source.RowsTable}\" AS r ON r.\"RowId\" = \"{source.FtsTable}\".rowid " +
                $"JOIN \"{source.Table}\" AS f ON f.\"Id\" = r.\"{source.RowsKey}\"";
            where.Append($" AND \"{source.FtsTable}\" MATCH {P(match)}");
            if (source.RowsItemType is { } itemType)
            {
                where.Append($" AND r.\"ItemType\" = '{itemType}'");
            }

            order = $"\"Rank\", {at} DESC";
        }
        else
        {
            select = $"f.\"Id\" AS \"Id\", -ts_rank_cd(ARRAY[0.1, 0.25, 0.5, 1.0]::real[], {source.PostgresVector}, q)::double precision AS \"Rank\"";
            from = $"\"{source.Table}\" AS f, to_tsquery('simple'::regconfig, {P(match)}) AS q";
            where.Append($" AND ({source.PostgresVector}) @@ q");
            order = $"\"Rank\", {at} DESC";
        }

        if (!string.IsNullOrEmpty(query.Scope))
        {
            where.Append($" AND f.\"Scope\" = {P(query.Scope)}");
        }

        if (!query.Readable.IsAll)
        {
            var allowed = query.Readable.Names.Select(n => $"f.\"Scope\" = {P(n)}")
                .Concat(query.Readable.Prefixes.SelectMany(p => new[]
                {
                    $"f.\"Scope\" = {P(p[..^1])}",
                    $"substr(f.\"Scope\", 1, {p.Length}) = {P(p)}",
                }))
                .ToList();
            where.Append(allowed.Count == 0 ? " AND 1 = 0" : $" AND ({string.Join(" OR ", allowed)})");
        }

        if (query.Subject is not null && source.SubjectColumn is { } subject)
        {
            where.Append($" AND f.\"{subject}\" = {P(query.Subject.Trim())}");
        }

        if (query.Since is { } since)
        {
            where.Append($" AND {at} >= {P(since)}");
        }

        if (query.Until is { } until)
        {
            where.Append($" AND {at} < {P(until)}");
        }

        return ($"SELECT {select} FROM {from} WHERE {where} ORDER BY {order} LIMIT {P(limit)}", [.. parameters]);
    }

    private static bool IsUnfiltered(MemoryQuery query) => string.IsNullOrEmpty(query.Scope) && query.Readable.IsAll && query.Subject is null
        && query.Since is null && query.Until is null;

    private static async Task<Dictionary<Guid, MemoryHit>> LoadAsync(BlazorOsDbContext db, List<(string Type, RankedRow Row)> ranked,
        CancellationToken cancellationToken)
    {
        List<Guid> Ids(string type) => [.. ranked.Where(r => r.Type == type).Select(r => r.Row.Id)];
        var hits = new Dictionary<Guid, MemoryHit>();
        if (Ids(MemoryItemTypes.Fact) is { Count: > 0 } factIds)
        {
            foreach (var f in await db.Facts.AsNoTracking().Include(f => f.Provenance).Where(f => factIds.Contains(f.Id)).ToListAsync(cancellationToken))
            {
                hits[f.Id] = new MemoryHit(MemoryItemTypes.Fact, f.Id, $"{f.Subject} {f.Predicate}", f.Value.ToString(), f.Scope, f.UpdatedAt, null,
                    f.Provenance) { Fact = f };
            }
        }

        if (Ids(MemoryItemTypes.Decision) is { Count: > 0 } decisionIds)
        {
            foreach (var d in await db.Decisions.AsNoTracking().Include(d => d.Provenance).Where(d => decisionIds.Contains(d.Id)).ToListAsync(cancellationToken))
            {
                hits[d.Id] = new MemoryHit(MemoryItemTypes.Decision, d.Id, d.Title, d.Rationale ?? string.Empty, d.Scope, d.UpdatedAt, null,
                    d.Provenance) { Decision = d };
            }
        }

        if (Ids(MemoryItemTypes.Record) is { Count: > 0 } recordIds)
        {
            foreach (var r in await db.Records.AsNoTracking().Include(r => r.Type).Include(r => r.Provenance).Where(r => recordIds.Contains(r.Id))
                .ToListAsync(cancellationToken))
            {
                var text = string.Join("; ", r.Values.Select(v => $"{v.Key}: {RecordType.TextOf(v.Value)}"));
                hits[r.Id] = new MemoryHit(MemoryItemTypes.Record, r.Id, r.Title, $"{r.Type?.Label}: {text}", r.Scope, r.UpdatedAt, null,
                    r.Provenance) { Record = r };
            }
        }

        if (Ids(MemoryItemTypes.Summary) is { Count: > 0 } summaryIds)
        {
            foreach (var s in await db.Summaries.AsNoTracking().Include(s => s.Provenance).Where(s => summaryIds.Contains(s.Id)).ToListAsync(cancellationToken))
            {
                hits[s.Id] = new MemoryHit(MemoryItemTypes.Summary, s.Id, s.Title, s.Text, s.Scope, s.CreatedAt, null, s.Provenance) { Summary = s };
            }
        }

        return hits;
    }

    private static int Validate(MemoryQuery query, int maxLimit)
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

        if (query.Subject is { } subject && subject.Trim().Length is 0 or > Fact.SubjectMaxLength)
        {
            problems.Add(new MemoryProblem("subject", $"A subject has 1 to {Fact.SubjectMaxLength} characters."));
        }

        if (query.Since is { } since && query.Until is { } until && since >= until)
        {
            problems.Add(new MemoryProblem("since", "'since' must be before 'until'."));
        }

        if (query.Limit is { } limit && (limit < 1 || limit > maxLimit))
        {
            problems.Add(new MemoryProblem("limit", $"A limit is from 1 to {maxLimit}."));
        }

        return problems.Count > 0 ? throw new MemoryValidationException(problems) : query.Limit ?? DefaultLimit;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <param name="SubjectColumn">What the subject filter compares; null: the type has no subject.</param>
    /// <param name="RowsItemType">The type's name in a row map shared by several types.</param>
    private sealed record Source(string Table, string AtColumn, string? SubjectColumn, string FtsTable, string RowsTable, string RowsKey,
        string? RowsItemType, string PostgresVector);

    private sealed record RankedRow(Guid Id, double Rank);
}
