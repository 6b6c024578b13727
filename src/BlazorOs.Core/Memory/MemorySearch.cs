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

    /// <summary>Only facts flagged for review (a low-confidence contradiction); other types have no such flag.</summary>
    public bool NeedsReview { get; init; }

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
/// Items that hold every word come first (AND); when fewer than a page do, items that hold some of the words follow
/// (OR), so a query with one stray word still recalls. Within each group items that match rarer words, in the title
/// rather than the label or body, rank first (<see cref="MemoryHit.Score"/> orders hits within a group); ties go to the
/// newest. Asking for every word first is also what keeps a query of common words fast: an OR of them scores a large
/// share of the store.
/// <list type="bullet">
/// <item>SQLite: FTS5 tables kept in sync by triggers — <c>FactsSearch</c> (subject, predicate, value) and
/// <c>MemoryItemsSearch</c> (title, label, body of decisions, records and summaries) — ranked by BM25 with column weights
/// 4, 2, 1, among each type's newest <see cref="RankWindow"/> matches that pass the filters (all of them, unless the
/// words are very common). Each type is asked for its best <c>limit</c> and the answers are merged by BM25 score: the two
/// tables have their own term statistics, so a fact and a decision with equal text may score a little differently.</item>
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
    internal const int PrefixFrom = 3;

    /// <summary>
    /// On SQLite, how many of a type's newest matches (that pass the filters) are ranked. Fewer matches: the ranking is
    /// exact. More: the words are so common they say little, and the newest of them are what the operator means.
    /// </summary>
    public const int RankWindow = 500;

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
        var ranked = await RankAsync(db, query, words ? Match(terms, sqlite, every: true) : null, sqlite, limit, cancellationToken);
        if (terms.Count > 1 && ranked.Count < limit)
        {
            // Too few items hold every word: fill the page with items that hold some of them, after the others.
            var found = ranked.Select(r => r.Row.Id).ToHashSet();
            var some = await RankAsync(db, query, Match(terms, sqlite, every: false), sqlite, limit, cancellationToken);
            ranked.AddRange(some.Where(r => !found.Contains(r.Row.Id)).Select(r => r with { Pass = 1 }));
        }

        // Hybrid recall (Memory/Vectors): the text order (every word, then some) fused with the nearest items by meaning that
        // pass the same filters. Needs-review is a flag of the items, not of their vectors: that filter stays full-text.
        Dictionary<Guid, string>? matches = null;
        if (words && !query.NeedsReview && vectors is { IsEnabled: true }
            && await vectors.FuseAsync(db, query, string.IsNullOrEmpty(query.Type) ? Types : [query.Type], limit,
                [.. ranked.OrderBy(r => r.Pass).ThenBy(r => r.Row.Rank).Select(r => (r.Type, r.Row.Id))], cancellationToken) is { } fused)
        {
            ranked = [.. fused.Select(f => new Ranked(f.Type, new RankedRow(f.Id, -f.Score), 0))];
            matches = fused.ToDictionary(f => f.Id, f => f.Match);
        }

        var hits = await MemoryItemLoader.LoadAsync(db, [.. ranked.Select(r => (r.Type, r.Row.Id))], cancellationToken);
        return [.. ranked.Where(r => hits.ContainsKey(r.Row.Id))
            .Select(r => (r.Pass, r.Row.Rank, Hit: hits[r.Row.Id] with
            {
                Score = words ? -r.Row.Rank : null,
                Match = words ? matches?.GetValueOrDefault(r.Row.Id) ?? MemoryMatch.Text : null,
            }))
            .OrderBy(r => r.Pass).ThenBy(r => r.Rank).ThenByDescending(r => r.Hit.UpdatedAt)
            .Select(r => r.Hit).Take(limit)];
    }

    /// <summary>Each asked type's best <paramref name="limit"/> items for one match expression (null: the newest).</summary>
    private static async Task<List<Ranked>> RankAsync(BlazorOsDbContext db, MemoryQuery query, string? match, bool sqlite, int limit,
        CancellationToken cancellationToken)
    {
        var types = string.IsNullOrEmpty(query.Type) ? Types : [query.Type];
        var ranked = new List<Ranked>();
        foreach (var type in types)
        {
            var source = Sources[type];
            if ((query.Subject is not null && source.SubjectColumn is null) || (query.NeedsReview && type != MemoryItemTypes.Fact))
            {
                continue;
            }

            var (sql, parameters) = BuildSql(source, query, match, sqlite, limit);
            var rows = await db.Database.SqlQueryRaw<RankedRow>(sql, parameters).ToListAsync(cancellationToken);
            ranked.AddRange(rows.Select(r => new Ranked(type, r, 0)));
        }

        return ranked;
    }

    /// <summary>The words of a query: runs of letters and digits, lower case, at most <see cref="MaxTerms"/>.</summary>
    internal static IReadOnlyList<string> Terms(string? text) => text is null
        ? []
        : Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();

    private static string Match(IReadOnlyList<string> terms, bool sqlite, bool every) =>
        sqlite ? SqliteMatch(terms, every) : PostgresMatch(terms, every);

    /// <summary>An FTS5 query that cannot be syntax: every term quoted (terms are letters and digits only).</summary>
    /// <param name="every">Every term must match (AND); otherwise any (OR).</param>
    internal static string SqliteMatch(IReadOnlyList<string> terms, bool every) =>
        string.Join(every ? " AND " : " OR ", terms.Select(t => t.Length >= PrefixFrom ? $"\"{t}\"*" : $"\"{t}\""));

    internal static string PostgresMatch(IReadOnlyList<string> terms, bool every) =>
        string.Join(every ? " & " : " | ", terms.Select(t => t.Length >= PrefixFrom ? $"'{t}':*" : $"'{t}'"));

    private static bool IsUnfiltered(MemoryQuery query) => string.IsNullOrEmpty(query.Scope) && query.Readable.IsAll && query.Subject is null
        && !query.NeedsReview && query.Since is null && query.Until is null;

    /// <summary>
    /// One type's query: matches ranked (BM25 or ts_rank_cd, negated so lower ranks first on both) or, without words,
    /// the newest. Every value is a parameter; only column and table names from <see cref="Sources"/> are spliced in.
    /// </summary>
    private static (string Sql, object[] Parameters) BuildSql(Source source, MemoryQuery query, string? match, bool sqlite, int limit)
    {
        int? window = null;
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
        else if (sqlite)
        {
            // Newest matches first, straight from the FTS index (CROSS JOIN keeps it the outer loop), scored by BM25 as
            // they stream past the filters; the outer query ranks the window. Scoring costs about a microsecond per
            // match, so ranking every match of a common word (a tenth of a million facts) would cost 100+ ms.
            var fts = $"\"{source.FtsTable}\"";
            if (IsUnfiltered(query))
            {
                // Nothing to check on the item: the row map gives its id, and the FTS rowid its age (rows are numbered
                // as items are made), which halves the lookups per match.
                select = $"r.\"{source.RowsKey}\" AS \"Id\", bm25({fts}, 4.0, 2.0, 1.0) AS \"Rank\", {fts}.rowid AS \"At\"";
                from = $"{fts} CROSS JOIN \"{source.RowsTable}\" AS r";
                where.Append($" AND {fts} MATCH {P(match)} AND r.\"RowId\" = {fts}.rowid");
            }
            else
            {
                select = $"f.\"Id\" AS \"Id\", bm25({fts}, 4.0, 2.0, 1.0) AS \"Rank\", {at} AS \"At\"";
                from = $"{fts} CROSS JOIN \"{source.RowsTable}\" AS r CROSS JOIN \"{source.Table}\" AS f";
                where.Append($" AND {fts} MATCH {P(match)} AND r.\"RowId\" = {fts}.rowid AND f.\"Id\" = r.\"{source.RowsKey}\"");
            }

            if (source.RowsItemType is { } itemType)
            {
                where.Append($" AND r.\"ItemType\" = '{itemType}'");
            }

            order = $"{fts}.rowid DESC";
            window = RankWindow;
        }
        else
        {
            select = $"f.\"Id\" AS \"Id\", -ts_rank_cd(ARRAY[0.1, 0.25, 0.5, 1.0]::real[], {source.PostgresVector}, q)::double precision AS \"Rank\"";
            from = $"\"{source.Table}\" AS f, to_tsquery('simple'::regconfig, {P(match)}) AS q";
            where.Append($" AND ({source.PostgresVector}) @@ q");
            order = $"\"Rank\", {at} DESC";
        }

        MemoryFilterSql.Append(where, query, P, "f", source.AtColumn, source.SubjectColumn);
        if (query.NeedsReview)
        {
            where.Append(" AND f.\"NeedsReview\"");
        }

        if (window is { } size)
        {
            return ($"SELECT m.\"Id\", m.\"Rank\" FROM (SELECT {select} FROM {from} WHERE {where} ORDER BY {order} LIMIT {P(size)}) AS m " +
                $"ORDER BY m.\"Rank\", m.\"At\" DESC LIMIT {P(limit)}", [.. parameters]);
        }

        return ($"SELECT {select} FROM {from} WHERE {where} ORDER BY {order} LIMIT {P(limit)}", [.. parameters]);
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

    /// <param name="Pass">0: the item holds every word (or the query has one); 1: only some of them.</param>
    private sealed record Ranked(string Type, RankedRow Row, int Pass);
}
