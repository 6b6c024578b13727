using System.Data.Common;
using System.Text;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>An item found by recall, ranked: <see cref="Score"/> is its reciprocal-rank-fusion score.</summary>
public sealed record FusedHit(string Type, Guid Id, double Score, string Match);

/// <summary>
/// Recall by meaning, fused with full-text recall. The query is embedded once; per type, the candidates are the items with
/// a current vector for the model that pass every filter of the query (scope, readable scopes, subject, time) — the
/// newest <see cref="MaxCandidates"/> when more pass — and their cosine similarity to the query is computed in process.
/// The best of them at or above <see cref="MinSimilarity"/> are fused with the text ranks by <see cref="RankFusion"/>.
/// Without an embeddings model, or when the endpoint fails or is slow, <see cref="FuseAsync"/> answers null and the search
/// is full text alone: a caller never sees the model's failure.
/// </summary>
public sealed partial class MemoryVectorSearch(MemoryEmbedder embedder, ILogger<MemoryVectorSearch> logger)
{
    /// <summary>Candidates per type, the newest first: reading one costs about 10 µs on SQLite here, scoring it 0.15 µs (README figures).</summary>
    public const int MaxCandidates = 10_000;

    /// <summary>Below this cosine an item is not "about" the query: without a floor every query would return everything.</summary>
    public const float MinSimilarity = 0.3f;

    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    // Table, time column and subject column (null: the type has no subject), as MemorySearch filters them.
    private static readonly IReadOnlyDictionary<string, (string Table, string At, string? Subject)> Tables =
        new Dictionary<string, (string, string, string?)>
        {
            [MemoryItemTypes.Fact] = ("Facts", "UpdatedAt", "Subject"),
            [MemoryItemTypes.Decision] = ("Decisions", "UpdatedAt", null),
            [MemoryItemTypes.Record] = ("Records", "UpdatedAt", "Title"),
            [MemoryItemTypes.Summary] = ("Summaries", "CreatedAt", null),
        };

    public bool IsEnabled => embedder.IsConfigured;

    /// <summary>
    /// The text-ranked items (best first, all types) fused with the items nearest in meaning; null when recall by meaning
    /// is off or failed, so the caller keeps its text ranking.
    /// </summary>
    public async Task<IReadOnlyList<FusedHit>?> FuseAsync(BlazorOsDbContext db, MemoryQuery query, IReadOnlyList<string> types, int limit,
        IReadOnlyList<(string Type, Guid Id)> byText, CancellationToken cancellationToken)
    {
        if (!embedder.IsConfigured || string.IsNullOrWhiteSpace(query.Q))
        {
            return null;
        }

        float[] vector;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(QueryTimeout);
            try
            {
                // Any length: a vector of another length than the stored ones (the model changed shape) simply finds nothing.
                vector = (await embedder.EmbedAsync([query.Q], dimensions: null, timeout.Token))[0];
            }
            catch (Exception ex) when (ex is EmbeddingException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogFallback(ex.Message);
                return null;
            }
        }

        var byMeaning = await NearestAsync(db, query, types, vector, limit, cancellationToken);
        return [.. RankFusion.Fuse(byText, byMeaning).Select(f => new FusedHit(f.Key.Type, f.Key.Id, f.Score, f.Match))];
    }

    /// <summary>The <paramref name="limit"/> items most similar to <paramref name="vector"/> that pass the query's filters.</summary>
    internal async Task<IReadOnlyList<(string Type, Guid Id)>> NearestAsync(BlazorOsDbContext db, MemoryQuery query, IReadOnlyList<string> types,
        float[] vector, int limit, CancellationToken cancellationToken, int cap = MaxCandidates)
    {
        var scored = new List<(string Type, Guid Id, float Similarity)>();
        foreach (var type in types)
        {
            if (query.Subject is not null && Tables[type].Subject is null)
            {
                continue;
            }

            var (sql, parameters) = CandidatesSql(type, query, embedder.Settings.Model!, cap);
            await ScoreAsync(db, sql, parameters, vector, (id, scope, similarity) =>
            {
                // The scope filter is in the SQL; checking again here keeps a reader's scopes a property of this code too.
                if (similarity >= MinSimilarity && query.Readable.Allows(scope))
                {
                    scored.Add((type, id, similarity));
                }
            }, cancellationToken);
        }

        return [.. scored.OrderByDescending(s => s.Similarity).Take(limit).Select(s => (s.Type, s.Id))];
    }

    /// <summary>
    /// Streams the candidates and scores each as it is read, through one reused buffer: materializing a row object and a
    /// byte array per candidate cost more than the scoring (README figures). A vector of another length is skipped.
    /// </summary>
    internal static async Task ScoreAsync(BlazorOsDbContext db, string sql, object[] parameters, float[] vector,
        Action<Guid, string, float> onScored, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, sql, parameters, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buffer = new byte[vector.Length * sizeof(float)];
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBytes(2, 0, null, 0, 0) != buffer.Length)
            {
                continue;
            }

            reader.GetBytes(2, 0, buffer, 0, buffer.Length);
            onScored(reader.GetGuid(0), reader.GetString(1), VectorMath.Similarity(buffer, vector)!.Value);
        }
    }

    /// <summary>A command on the context's connection (opened for the context's lifetime), parameters named <c>@p0</c>, <c>@p1</c>….</summary>
    internal static async Task<DbCommand> CommandAsync(BlazorOsDbContext db, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// The candidates of one type: current vectors (made from the item's present version) of items passing the filters,
    /// newest first. Values are parameters; only names from <see cref="Tables"/> are spliced in.
    /// </summary>
    internal static (string Sql, object[] Parameters) CandidatesSql(string type, MemoryQuery query, string model, int cap)
    {
        var (table, atColumn, subjectColumn) = Tables[type];
        var parameters = new List<object>();
        string P(object value)
        {
            parameters.Add(value);
            return $"@p{parameters.Count - 1}";
        }

        var at = $"f.\"{atColumn}\"";
        var where = new StringBuilder($"v.\"ItemType\" = {P(type)} AND v.\"Model\" = {P(model)} AND v.\"SourceUpdatedAt\" = {at}");
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

        if (query.Subject is not null && subjectColumn is not null)
        {
            where.Append($" AND f.\"{subjectColumn}\" = {P(query.Subject.Trim())}");
        }

        if (query.Since is { } since)
        {
            where.Append($" AND {at} >= {P(since)}");
        }

        if (query.Until is { } until)
        {
            where.Append($" AND {at} < {P(until)}");
        }

        // Two steps: choose the newest candidates by id first, then read their vectors; sorting rows that carry their vector
        // costs several times more. CROSS JOIN makes SQLite walk the item table first, through its scope or time index,
        // and stop at the cap; left to itself the planner (no statistics) walked every vector and probed the items.
        return ($"SELECT c.\"Id\" AS \"Id\", c.\"Scope\" AS \"Scope\", w.\"Vector\" AS \"Vector\" FROM (" +
            $"SELECT f.\"Id\" AS \"Id\", f.\"Scope\" AS \"Scope\" " +
            $"FROM \"{table}\" AS f CROSS JOIN \"MemoryVectors\" AS v " +
            $"WHERE v.\"ItemId\" = f.\"Id\" AND {where} ORDER BY {at} DESC LIMIT {P(cap)}) AS c " +
            $"JOIN \"MemoryVectors\" AS w ON w.\"ItemType\" = {P(type)} AND w.\"ItemId\" = c.\"Id\"", [.. parameters]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall by meaning is unavailable for this search, full text only: {Reason}")]
    private partial void LogFallback(string reason);

}
