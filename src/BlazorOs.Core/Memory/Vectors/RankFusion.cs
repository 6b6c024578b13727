namespace BlazorOs.Core.Memory.Vectors;

/// <summary>How a hit was found: by its words, by its meaning (embeddings), or both.</summary>
public static class MemoryMatch
{
    public const string Text = "text";
    public const string Meaning = "meaning";
    public const string Both = "both";
}

/// <summary>One fused result: <see cref="Score"/> is the sum of 1 / (k + rank) over the lists the key is in.</summary>
public sealed record FusedRank<TKey>(TKey Key, double Score, string Match);

/// <summary>
/// Reciprocal-rank fusion (Cormack et al. 2009): each list contributes 1 / (k + rank) for rank 1, 2, … so only positions
/// count, never the scores, which for BM25, ts_rank_cd and cosine are on unrelated scales. k = 60 damps the head of
/// each list: an item high in both lists beats one at the top of only one.
/// </summary>
public static class RankFusion
{
    public const int K = 60;

    public static IReadOnlyList<FusedRank<TKey>> Fuse<TKey>(IReadOnlyList<TKey> byText, IReadOnlyList<TKey> byMeaning, int k = K)
        where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<TKey, (double Score, bool Text, bool Meaning, int First)>();
        void Add(IReadOnlyList<TKey> list, bool text)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var key = list[i];
                var contribution = 1.0 / (k + i + 1);
                scores[key] = scores.TryGetValue(key, out var seen)
                    ? (seen.Score + contribution, seen.Text || text, seen.Meaning || !text, seen.First)
                    : (contribution, text, !text, scores.Count);
            }
        }

        Add(byText, text: true);
        Add(byMeaning, text: false);
        // Ties (same ranks in different lists) keep the order items were first seen: text before meaning.
        return [.. scores.OrderByDescending(s => s.Value.Score).ThenBy(s => s.Value.First)
            .Select(s => new FusedRank<TKey>(s.Key, s.Value.Score,
                s.Value.Text && s.Value.Meaning ? MemoryMatch.Both : s.Value.Text ? MemoryMatch.Text : MemoryMatch.Meaning))];
    }
}
