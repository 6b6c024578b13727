using System.Data.Common;
using System.Text;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>An item found by recall, ranked: <see cref="Score"/> is its reciprocal-rank-fusion score.</summary>
public sealed record FusedHit(string Type, Guid Id, double Score, string Match);

/// <summary>
/// Recall by meaning, fused with full-text recall. The query is embedded once; the candidates are every vector of the model
/// in <see cref="MemoryVectorIndex"/> (in memory, int8) whose copied type, scope, subject and time pass every filter of the
/// query (scope, readable scopes, subject, time), all scored; the best <see cref="RerankFactor"/>× the limit are then
/// confirmed against the items themselves (the vector is current, the item exists, every filter holds on the item's own
/// columns: a copy never widens what a reader sees) and re-ranked exactly by their float32 vectors, read in the same
/// query, and fused with the text ranks by <see cref="RankFusion"/>. Only when the index cannot be built (the store failed
/// while loading it, or it would exceed <see cref="MemoryVectorIndex.MaxBytes"/>) are the candidates read from the store
/// instead, the newest <see cref="FallbackCandidates"/> per type. Without an embeddings model, or when the endpoint fails
/// or is slow, <see cref="FuseAsync"/> answers null and the search is full text alone: a caller never sees the model's failure.
/// </summary>
public sealed partial class MemoryVectorSearch(MemoryEmbedder embedder, MemoryVectorIndex index, ILogger<MemoryVectorSearch> logger)
{
    /// <summary>Candidates per type when the store is scanned (no index), the newest first (README figures).</summary>
    public const int FallbackCandidates = 20_000;

    /// <summary>How many more of the index's best than asked for are confirmed and re-ranked: some may be stale or gone.</summary>
    public const int RerankFactor = 4;

    /// <summary>How many more of the best candidates than asked for are confirmed on the store-scan path.</summary>
    private const int ConfirmFactor = 2;

    /// <summary>Below this cosine an item is not "about" the query: without a floor every query would return everything.</summary>
    public const float MinSimilarity = 0.3f;

    /// <summary>
    /// How long a search waits for the index's first load (a few seconds at a million vectors, README figures) before it
    /// answers by words alone; the indexer starts the load when the app starts, so only searches in its first moments wait.
    /// </summary>
    public static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(2);

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
        return byMeaning is null ? null : [.. RankFusion.Fuse(byText, byMeaning).Select(f => new FusedHit(f.Key.Type, f.Key.Id, f.Score, f.Match))];
    }

    /// <summary>
    /// The <paramref name="limit"/> items most similar to <paramref name="vector"/> that pass the query's filters; null while
    /// the index is still loading after <see cref="LoadWait"/>.
    /// </summary>
    internal async Task<IReadOnlyList<(string Type, Guid Id)>?> NearestAsync(BlazorOsDbContext db, MemoryQuery query, IReadOnlyList<string> types,
        float[] vector, int limit, CancellationToken cancellationToken)
    {
        var load = index.LoadAsync();
        try
        {
            await load.WaitAsync(LoadWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogFallback("the in-memory vector index is still loading");
            return null;
        }

        if (!load.Result)
        {
            return await ScanStoreAsync(db, query, types, vector, limit, cancellationToken);
        }

        var model = embedder.Settings.Model!;
        var exact = new List<(string Type, Guid Id, float Similarity)>();
        foreach (var group in index.Nearest(vector, query, types, limit * RerankFactor, MinSimilarity).GroupBy(c => c.Type))
        {
            var confirmed = await ConfirmAsync(db, group.Key, query, model, [.. group.Select(c => c.Id)], vector, cancellationToken);
            exact.AddRange(confirmed.Where(c => c.Value >= MinSimilarity).Select(c => (group.Key, c.Key, c.Value)));
        }

        return [.. exact.OrderByDescending(e => e.Similarity).Take(limit).Select(e => (e.Type, e.Id))];
    }

    /// <summary>
    /// Without the index: per type, the newest <paramref name="cap"/> candidates that pass the filters are read from the
    /// store and scored as they are read; the best are confirmed.
    /// </summary>
    internal async Task<IReadOnlyList<(string Type, Guid Id)>> ScanStoreAsync(BlazorOsDbContext db, MemoryQuery query, IReadOnlyList<string> types,
        float[] vector, int limit, CancellationToken cancellationToken, int cap = FallbackCandidates)
    {
        var scored = new List<(string Type, Guid Id, float Similarity)>();
        foreach (var type in types)
        {
            if (query.Subject is not null && Tables[type].Subject is null)
            {
                continue;
            }

            var model = embedder.Settings.Model!;
            var (sql, parameters) = CandidatesSql(type, query, model, cap);
            var best = new List<(Guid Id, float Similarity)>();
            await ScoreAsync(db, sql, parameters, vector, (id, scope, similarity) =>
            {
                if (similarity >= MinSimilarity && query.Readable.Allows(scope))
                {
                    best.Add((id, similarity));
                }
            }, cancellationToken);
            var top = best.OrderByDescending(b => b.Similarity).Take(limit * ConfirmFactor).ToList();
            var confirmed = await ConfirmAsync(db, type, query, model, [.. top.Select(t => t.Id)], vector, cancellationToken);
            scored.AddRange(top.Where(t => confirmed.ContainsKey(t.Id)).Take(limit).Select(t => (type, t.Id, t.Similarity)));
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
    /// The candidates of one type: its vectors for the model whose copied scope, subject and time pass the filters, newest
    /// first, from <c>MemoryVectors</c> alone (one walk of its type-model-time index, no join: a join cost a probe of the
    /// item and of the vector per candidate, several times the scoring). Values are parameters (<c>@p0</c>…); only names
    /// are spliced in.
    /// </summary>
    internal static (string Sql, object[] Parameters) CandidatesSql(string type, MemoryQuery query, string model, int cap)
    {
        var sql = new Sql();
        var where = new StringBuilder($"v.\"ItemType\" = {sql.P(type)} AND v.\"Model\" = {sql.P(model)}");
        MemoryFilterSql.Append(where, query, sql.P, "v", "SourceUpdatedAt", Tables[type].Subject is null ? null : "Subject");
        return ($"SELECT v.\"ItemId\" AS \"Id\", v.\"Scope\" AS \"Scope\", v.\"Vector\" AS \"Vector\" FROM \"MemoryVectors\" AS v " +
            $"WHERE {where} ORDER BY v.\"SourceUpdatedAt\" DESC LIMIT {sql.P(cap)}", [.. sql.Parameters]);
    }

    /// <summary>
    /// Which of <paramref name="ids"/> are items whose vector is current and that pass every filter on their own columns,
    /// each with its exact cosine similarity to <paramref name="vector"/> (from the stored float32 vector, read in the same query).
    /// </summary>
    private static async Task<Dictionary<Guid, float>> ConfirmAsync(BlazorOsDbContext db, string type, MemoryQuery query, string model,
        IReadOnlyList<Guid> ids, float[] vector, CancellationToken cancellationToken)
    {
        var confirmed = new Dictionary<Guid, float>();
        if (ids.Count == 0)
        {
            return confirmed;
        }

        var (table, atColumn, subjectColumn) = Tables[type];
        var sql = new Sql();
        // EF Core stores a Guid on SQLite as upper-case text; a Guid parameter would be bound as a blob there.
        var sqlite = db.Database.IsSqlite();
        var idList = string.Join(", ", ids.Select(id => $"({sql.P(sqlite ? id.ToString().ToUpperInvariant() : id)})"));
        var where = new StringBuilder($"f.\"Id\" = ids.\"Id\" AND v.\"ItemId\" = f.\"Id\" AND v.\"ItemType\" = {sql.P(type)} " +
            $"AND v.\"Model\" = {sql.P(model)} AND v.\"SourceUpdatedAt\" = f.\"{atColumn}\"");
        MemoryFilterSql.Append(where, query, sql.P, "f", atColumn, subjectColumn);
        // From the ids outwards, each looked up by its key: with a plain join SQLite walked every vector of the type (or
        // every item of the filtered scope) and probed the other side, ~300 ms at 100,000 (CROSS JOIN fixes its order).
        var text = $"WITH ids(\"Id\") AS (VALUES {idList}) SELECT f.\"Id\", v.\"Vector\" FROM ids " +
            $"CROSS JOIN \"{table}\" AS f CROSS JOIN \"MemoryVectors\" AS v WHERE {where}";
        await using var command = await CommandAsync(db, text, [.. sql.Parameters], cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (VectorMath.Similarity((byte[])reader.GetValue(1), vector) is { } similarity)
            {
                confirmed[reader.GetGuid(0)] = similarity;
            }
        }

        return confirmed;
    }

    /// <summary>Parameters as they are added, each named by its position.</summary>
    private sealed class Sql
    {
        public List<object> Parameters { get; } = [];

        public string P(object value)
        {
            Parameters.Add(value);
            return $"@p{Parameters.Count - 1}";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall by meaning is unavailable for this search, full text only: {Reason}")]
    private partial void LogFallback(string reason);
}
