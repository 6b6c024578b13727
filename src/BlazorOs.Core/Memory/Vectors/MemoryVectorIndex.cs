using System.Runtime.InteropServices;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>A candidate from the in-memory index: its approximate (int8) cosine similarity to the query.</summary>
internal readonly record struct IndexCandidate(string Type, Guid Id, float Approximate);

/// <summary>
/// Every vector of the configured model in memory, so a search by meaning scores all candidates that pass the filters
/// instead of reading them out of the store (9–27 µs a row; README figures). Per vector it keeps the item's type and id,
/// the copied scope (as a number into a table of distinct scopes), subject and time, and the vector quantized to int8
/// (one signed byte per dimension and a float scale). Measured at 384 dimensions: 540–600 bytes of managed heap per
/// vector, so 100,000 items ≈ 57 MiB and 1,000,000 ≈ 0.5 GiB; <see cref="MaxBytes"/> bounds it. int8 rather than float32:
/// float32 would be ~4× the vector bytes (1.5 GiB at a million) and scored 4× slower (README figures), for an order whose
/// few best are re-ranked exactly from the store's float32 blobs anyway.
/// <para>
/// Loaded lazily on first use, streamed from <c>MemoryVectors</c> in chunks; kept in step by
/// <see cref="MemoryVectorIndexer"/>, which tells it of every vector it writes, re-times or deletes. Only this process
/// writes vectors (a single server), so nothing else can make it stale; a second writing process would need a reload
/// (or change notification) that this class does not do. Even stale, it can only propose: search confirms every hit
/// against the items. Readers score under a read lock (a synchronous scan, tens of milliseconds at 100,000); writers and
/// each load chunk take the write lock briefly.
/// </para>
/// </summary>
public sealed partial class MemoryVectorIndex(IDbContextFactory<BlazorOsDbContext> dbFactory, MemoryEmbedder embedder,
    ILogger<MemoryVectorIndex> logger) : IDisposable
{
    /// <summary>Memory budget: a store with more vectors than fit is not indexed and search scans the store as before.</summary>
    public const long MaxBytes = 2L << 30;

    private const int SegmentSize = 8192;
    private const int LoadChunk = 2048;

    // Per-vector bytes besides the codes, as measured (README): scale, id, time, type, scope number, subject reference and
    // liveness in the segments, plus the key dictionary's entry and the subject string.
    private const int OverheadBytes = 160;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<Segment> _segments = [];
    private readonly Dictionary<(byte Type, Guid Id), int> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly List<string> _scopes = [];
    private readonly Dictionary<string, int> _scopeNumbers = new(StringComparer.Ordinal);
    private readonly object _loadGate = new();
    private HashSet<(byte Type, Guid Id)>? _touchedWhileLoading;
    private Task<bool>? _load;
    private DateTime _failedAt;

    // Writes are applied while loading or loaded; before, the load will read them from the store, and after a failed or
    // refused load nothing is held (a refused index must not grow through the indexer's writes).
    private bool _accepting;
    private int _count;
    private int _dimensions;

    /// <summary>The budget this index keeps to: <see cref="MaxBytes"/>, less in tests of the store-scan fallback.</summary>
    internal long Budget { get; init; } = MaxBytes;

    /// <summary>Vectors in the index.</summary>
    public int Count => _count;

    /// <summary>Dimensions of the indexed vectors (0 before the first).</summary>
    public int Dimensions => _dimensions;

    /// <summary>Bytes held, estimated from the allocated segments (each vector's codes and <see cref="OverheadBytes"/>).</summary>
    public long Bytes => (long)_segments.Count * SegmentSize * (_dimensions + OverheadBytes);

    /// <summary>
    /// Starts the load once (later calls share it) and tells whether the index is usable: false when it could not be built
    /// (the store failed, or the vectors exceed <see cref="MaxBytes"/>), and search falls back to scanning the store.
    /// </summary>
    public Task<bool> LoadAsync()
    {
        lock (_loadGate)
        {
            // A load the store failed is tried again after a while; one refused for its size is not.
            if (_load is { IsCompleted: true, Result: false } && _failedAt != default && DateTime.UtcNow - _failedAt >= RetryAfter)
            {
                _load = null;
            }

            return _load ??= Task.Run(LoadCoreAsync);
        }
    }

    /// <summary>How long after a failed load the next search tries again (meanwhile it scans the store).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>The index's view of a vector the indexer wrote (new or replaced).</summary>
    public void Upsert(MemoryItemVersion item, ReadOnlySpan<float> unitVector)
    {
        var codes = new sbyte[unitVector.Length];
        var scale = VectorMath.Quantize(unitVector, codes);
        _lock.EnterWriteLock();
        try
        {
            if (!_accepting)
            {
                return;
            }

            _touchedWhileLoading?.Add((TypeNumber(item.Type), item.Id));
            Put(item.Type, item.Id, item.Scope, item.Subject, item.At, codes, scale, overwrite: true);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The item changed but not its text: its copies follow, the vector stays.</summary>
    public void Confirm(MemoryItemVersion item)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_accepting)
            {
                return;
            }

            var key = (TypeNumber(item.Type), item.Id);
            _touchedWhileLoading?.Add(key);
            if (_slots.TryGetValue(key, out var slot))
            {
                var (segment, at) = Locate(slot);
                segment.Scopes[at] = ScopeNumber(item.Scope);
                segment.Subjects[at] = item.Subject;
                segment.Ticks[at] = item.At.Ticks;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Remove(string type, Guid id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_accepting)
            {
                return;
            }

            var key = (TypeNumber(type), id);
            _touchedWhileLoading?.Add(key);
            RemoveSlot(key);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The <paramref name="k"/> vectors most similar to <paramref name="query"/> (approximately: int8) among those of
    /// <paramref name="types"/> whose copied scope, subject and time pass the query's filters, best first. Candidates
    /// clearly below <paramref name="floor"/> are not kept. A query of another length than the index's finds nothing.
    /// </summary>
    internal IReadOnlyList<IndexCandidate> Nearest(ReadOnlySpan<float> query, MemoryQuery filter, IReadOnlyList<string> types, int k, float floor)
    {
        var codes = new sbyte[query.Length];
        var queryScale = VectorMath.Quantize(query, codes);
        var best = new PriorityQueue<int, float>(k + 1);
        // Quantization moves a cosine by a few thousandths; this margin keeps every item that could pass the exact floor.
        var approximateFloor = floor - 0.05f;
        _lock.EnterReadLock();
        try
        {
            if (query.Length != _dimensions || queryScale == 0f)
            {
                return [];
            }

            var typeAllowed = new bool[MemoryItemTypes.Items.Count];
            foreach (var type in types)
            {
                typeAllowed[TypeNumber(type)] = filter.Subject is null || HasSubject(type);
            }

            var scopeAllowed = new bool[_scopes.Count];
            for (var s = 0; s < scopeAllowed.Length; s++)
            {
                scopeAllowed[s] = (string.IsNullOrEmpty(filter.Scope) || _scopes[s] == filter.Scope) && filter.Readable.Allows(_scopes[s]);
            }

            var subject = filter.Subject?.Trim();
            var since = filter.Since?.Ticks ?? long.MinValue;
            var until = filter.Until?.Ticks ?? long.MaxValue;
            var dims = _dimensions;
            for (var n = 0; n < _segments.Count; n++)
            {
                var segment = _segments[n];
                for (var i = 0; i < SegmentSize; i++)
                {
                    if (!segment.Live[i] || !typeAllowed[segment.Types[i]] || !scopeAllowed[segment.Scopes[i]]
                        || segment.Ticks[i] < since || segment.Ticks[i] >= until
                        || (subject is not null && !string.Equals(segment.Subjects[i], subject, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    var similarity = VectorMath.DotInt8(segment.Codes.AsSpan(i * dims, dims), codes) * segment.Scales[i] * queryScale;
                    if (similarity < approximateFloor)
                    {
                        continue;
                    }

                    if (best.Count < k)
                    {
                        best.Enqueue((n * SegmentSize) + i, similarity);
                    }
                    else if (best.TryPeek(out _, out var worst) && similarity > worst)
                    {
                        best.DequeueEnqueue((n * SegmentSize) + i, similarity);
                    }
                }
            }

            var found = new IndexCandidate[best.Count];
            for (var j = found.Length - 1; best.TryDequeue(out var slot, out var similarity); j--)
            {
                var (segment, at) = Locate(slot);
                found[j] = new IndexCandidate(MemoryItemTypes.Items[segment.Types[at]], segment.Ids[at], similarity);
            }

            return found;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private async Task<bool> LoadCoreAsync()
    {
        if (!embedder.IsConfigured)
        {
            return false;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        _lock.EnterWriteLock();
        _touchedWhileLoading = [];
        _failedAt = default;
        _accepting = true;
        _lock.ExitWriteLock();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var model = embedder.Settings.Model!;
            var vectors = db.Set<MemoryVector>().AsNoTracking().Where(v => v.Model == model);
            var count = await vectors.LongCountAsync();
            var dimensions = await vectors.Select(v => (int?)v.Dimensions).FirstOrDefaultAsync() ?? 0;
            if (count * (dimensions + OverheadBytes) > Budget)
            {
                LogTooLarge(count, dimensions, Budget >> 20);
                Clear();
                return false;
            }

            await using var command = await MemoryVectorSearch.CommandAsync(db,
                "SELECT \"ItemType\", \"ItemId\", \"Scope\", \"Subject\", \"SourceUpdatedAt\", \"Vector\" FROM \"MemoryVectors\" WHERE \"Model\" = @p0",
                [model], default);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(string Type, Guid Id, string Scope, string? Subject, DateTime At, sbyte[] Codes, float Scale)>(LoadChunk);
            float[] vector = [];
            byte[] buffer = [];
            while (true)
            {
                var more = await reader.ReadAsync();
                if (more)
                {
                    var length = (int)reader.GetBytes(5, 0, null, 0, 0);
                    if (length % sizeof(float) != 0 || length == 0)
                    {
                        continue;
                    }

                    if (buffer.Length != length)
                    {
                        buffer = new byte[length];
                        vector = new float[length / sizeof(float)];
                    }

                    reader.GetBytes(5, 0, buffer, 0, length);
                    MemoryMarshal.Cast<byte, float>(buffer).CopyTo(vector);
                    var codes = new sbyte[vector.Length];
                    var scale = VectorMath.Quantize(vector, codes);
                    rows.Add((reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.GetDateTime(4), codes, scale));
                }

                if (rows.Count == LoadChunk || (!more && rows.Count > 0))
                {
                    AddLoaded(rows);
                    rows.Clear();
                }

                if (!more)
                {
                    break;
                }
            }

            LogLoaded(_count, _dimensions, Bytes >> 20, (long)started.Elapsed.TotalMilliseconds);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLoadFailed(ex);
            Clear();
            _failedAt = DateTime.UtcNow;
            return false;
        }
        finally
        {
            _lock.EnterWriteLock();
            _touchedWhileLoading = null;
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Nothing held, no write accepted: the index is not usable until a load succeeds.</summary>
    private void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _accepting = false;
            _segments.Clear();
            _slots.Clear();
            _free.Clear();
            _count = 0;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>A chunk of loaded rows; a vector the indexer wrote, re-timed or deleted meanwhile keeps the indexer's word.</summary>
    private void AddLoaded(List<(string Type, Guid Id, string Scope, string? Subject, DateTime At, sbyte[] Codes, float Scale)> rows)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var row in rows)
            {
                if (_touchedWhileLoading?.Contains((TypeNumber(row.Type), row.Id)) != true)
                {
                    Put(row.Type, row.Id, row.Scope, row.Subject, row.At, row.Codes, row.Scale, overwrite: false);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Under the write lock. A vector of another length than the first one indexed is left out: it compares with nothing.</summary>
    private void Put(string type, Guid id, string scope, string? subject, DateTime at, sbyte[] codes, float scale, bool overwrite)
    {
        if (_dimensions == 0)
        {
            _dimensions = codes.Length;
        }

        var key = (TypeNumber(type), id);
        if (codes.Length != _dimensions)
        {
            if (overwrite)
            {
                RemoveSlot(key);
            }

            return;
        }

        if (!_slots.TryGetValue(key, out var slot))
        {
            slot = NewSlot();
            _slots[key] = slot;
            _count++;
        }
        else if (!overwrite)
        {
            return;
        }

        var (segment, i) = Locate(slot);
        codes.CopyTo(segment.Codes.AsSpan(i * _dimensions, _dimensions));
        segment.Scales[i] = scale;
        segment.Ids[i] = id;
        segment.Types[i] = key.Item1;
        segment.Scopes[i] = ScopeNumber(scope);
        segment.Subjects[i] = subject;
        segment.Ticks[i] = at.Ticks;
        segment.Live[i] = true;
    }

    private void RemoveSlot((byte Type, Guid Id) key)
    {
        if (_slots.Remove(key, out var slot))
        {
            var (segment, at) = Locate(slot);
            segment.Live[at] = false;
            segment.Subjects[at] = null;
            _free.Push(slot);
            _count--;
        }
    }

    private int NewSlot()
    {
        if (_free.TryPop(out var slot))
        {
            return slot;
        }

        var used = _slots.Count + _free.Count;
        if (used == _segments.Count * SegmentSize)
        {
            _segments.Add(new Segment(_dimensions));
        }

        return used;
    }

    private (Segment Segment, int At) Locate(int slot) => (_segments[slot / SegmentSize], slot % SegmentSize);

    private int ScopeNumber(string scope)
    {
        if (!_scopeNumbers.TryGetValue(scope, out var number))
        {
            number = _scopes.Count;
            _scopes.Add(scope);
            _scopeNumbers[scope] = number;
        }

        return number;
    }

    private static byte TypeNumber(string type)
    {
        for (byte i = 0; i < MemoryItemTypes.Items.Count; i++)
        {
            if (MemoryItemTypes.Items[i] == type)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(type), type, "Not a memory item type.");
    }

    private static bool HasSubject(string type) => type is MemoryItemTypes.Fact or MemoryItemTypes.Record;

    public void Dispose() => _lock.Dispose();

    /// <summary>A fixed block of slots: growing never copies the vectors already held.</summary>
    private sealed class Segment(int dimensions)
    {
        public sbyte[] Codes { get; } = new sbyte[SegmentSize * dimensions];
        public float[] Scales { get; } = new float[SegmentSize];
        public Guid[] Ids { get; } = new Guid[SegmentSize];
        public byte[] Types { get; } = new byte[SegmentSize];
        public int[] Scopes { get; } = new int[SegmentSize];
        public string?[] Subjects { get; } = new string?[SegmentSize];
        public long[] Ticks { get; } = new long[SegmentSize];
        public bool[] Live { get; } = new bool[SegmentSize];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recall by meaning: {Count} vector(s) of {Dimensions} dimensions indexed in memory ({MiB} MiB) in {Milliseconds} ms")]
    private partial void LogLoaded(int count, int dimensions, long miB, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall by meaning: {Count} vectors of {Dimensions} dimensions exceed the in-memory budget of {MiB} MiB; search scans the store instead")]
    private partial void LogTooLarge(long count, int dimensions, long miB);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recall by meaning: the in-memory vector index could not be built; search scans the store instead")]
    private partial void LogLoadFailed(Exception exception);
}
