using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>What recall by meaning is doing, for the explorer and the logs.</summary>
/// <param name="Pending">Items waiting to be embedded, as of the last pass (null before the first).</param>
/// <param name="LastError">Why the last pass failed; null when it succeeded.</param>
public sealed record MemoryVectorStatus(bool Configured, string? Model, int? Pending, string? LastError, DateTime? LastPassAt)
{
    public static readonly MemoryVectorStatus Off = new(false, null, null, null, null);
}

/// <summary>
/// Embeds memory items in the background, so a write never waits on the model and a failing endpoint loses nothing: an
/// item is pending while it has no vector for the configured model made from its current version (its UpdatedAt), and
/// stays pending until a pass succeeds. Each pass walks the items changed since the last embedded one (newest time seen
/// per type), embeds them in batches of <see cref="BatchSize"/>, and re-checks everything every
/// <see cref="FullRescanInterval"/>, which also deletes vectors whose item is gone (search ignores those anyway). A
/// change that leaves the text as it was (same SHA-256) only moves the vector's time on, without a model call.
/// </summary>
public sealed partial class MemoryVectorIndexer(
    IDbContextFactory<BlazorOsDbContext> dbFactory,
    MemoryEmbedder embedder,
    MemoryVectorIndex index,
    TimeProvider clock,
    ILogger<MemoryVectorIndexer> logger) : BackgroundService
{
    public const int BatchSize = 64;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan FullRescanInterval = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan WriteMargin = TimeSpan.FromMinutes(1);

    // Bounds one pass so a first start over a million items still reports progress and yields between passes.
    private const int MaxBatchesPerPass = 50;

    private readonly Dictionary<string, DateTime> _watermarks = [];

    /// <summary>Items whose text the endpoint refused (see <see cref="EmbedIsolatingRefusalsAsync"/>), skipped until the next rescan.</summary>
    private readonly HashSet<Guid> _refused = [];

    private List<Guid> Refused => [.. _refused];
    private readonly SemaphoreSlim _pass = new(1, 1);
    private DateTime _lastRescan = DateTime.MinValue;
    private int? _dimensions;

    public MemoryVectorStatus Status { get; private set; } = embedder.IsConfigured
        ? new MemoryVectorStatus(true, embedder.Settings.Model, null, null, null)
        : MemoryVectorStatus.Off;

    private string Model => embedder.Settings.Model!;

    /// <summary>
    /// One pass: embeds pending items until none is left (or <see cref="MaxBatchesPerPass"/> batches), and returns how many
    /// were embedded. A failing endpoint does not throw: the items stay pending, <see cref="Status"/> says why.
    /// </summary>
    public async Task<int> IndexPendingAsync(CancellationToken cancellationToken = default)
    {
        if (!embedder.IsConfigured)
        {
            return 0;
        }

        await _pass.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (now - _lastRescan >= FullRescanInterval)
            {
                _watermarks.Clear();
                // Refused texts get one more try per rescan: the item may have changed, or the endpoint or model may have.
                _refused.Clear();
                await DeleteOrphansAsync(cancellationToken);
                _lastRescan = now;
            }

            var embedded = 0;
            string? error = null;
            try
            {
                for (var batch = 0; batch < MaxBatchesPerPass; batch++)
                {
                    var done = 0;
                    foreach (var type in MemoryItemTypes.Items)
                    {
                        done += await IndexBatchAsync(type, cancellationToken);
                    }

                    embedded += done;
                    if (done == 0)
                    {
                        break;
                    }
                }
            }
            catch (EmbeddingException ex)
            {
                error = ex.Message;
            }

            var pending = await PendingAsync(cancellationToken);
            Status = new MemoryVectorStatus(true, Model, pending, error, clock.GetUtcNow().UtcDateTime);
            if (error is not null)
            {
                LogFailed(pending, error);
            }
            else if (embedded > 0)
            {
                LogEmbedded(embedded, Model, pending);
            }

            return embedded;
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!embedder.IsConfigured)
        {
            return;
        }

        // Loads the in-memory index while the app starts, so searches do not wait for it later.
        _ = index.LoadAsync();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await IndexPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store failed, not the model: log it and keep going like an endpoint failure.
                Status = Status with { LastError = ex.Message };
                LogPassFailed(ex);
            }

            failures = Status.LastError is null ? 0 : failures + 1;
            var wait = failures == 0
                ? PollInterval
                : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, PollInterval.Ticks << Math.Min(failures, 10)));
            await Task.Delay(wait, clock, stoppingToken);
        }
    }

    /// <summary>Items without a current vector for the model, counted from the watermarks (cheap after the first pass).</summary>
    private async Task<int> PendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = Model;
        var count = 0;
        foreach (var type in MemoryItemTypes.Items)
        {
            var since = _watermarks.GetValueOrDefault(type, DateTime.MinValue);
            count += type switch
            {
                MemoryItemTypes.Fact => await PendingFacts(db, model, since).CountAsync(cancellationToken),
                MemoryItemTypes.Decision => await PendingDecisions(db, model, since).CountAsync(cancellationToken),
                MemoryItemTypes.Record => await PendingRecords(db, model, since).CountAsync(cancellationToken),
                _ => await PendingSummaries(db, model, since).CountAsync(cancellationToken),
            };
        }

        return count;
    }

    /// <summary>
    /// Embeds the texts. When the endpoint refuses the input itself (<see cref="EmbeddingException.RejectedInput"/>), the
    /// batch is halved until the refused texts stand alone, so one text the model cannot take (too long, say) does not hold
    /// back the others; its slot comes back null and the item stays without a vector (full-text recall still finds it)
    /// until the next full rescan tries it again. Any other failure is the service's and fails the batch as before.
    /// </summary>
    private async Task<float[]?[]> EmbedIsolatingRefusalsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        try
        {
            return [.. await embedder.EmbedAsync(texts, _dimensions, cancellationToken)];
        }
        catch (EmbeddingException ex) when (ex.RejectedInput)
        {
            if (texts.Count == 1)
            {
                LogRefused(ex.Message);
                return [null];
            }

            var half = texts.Count / 2;
            return [.. await EmbedIsolatingRefusalsAsync([.. texts.Take(half)], cancellationToken),
                .. await EmbedIsolatingRefusalsAsync([.. texts.Skip(half)], cancellationToken)];
        }
    }

    private async Task<int> IndexBatchAsync(string type, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = Model;
        var since = _watermarks.GetValueOrDefault(type, DateTime.MinValue);
        List<(MemoryItemVersion Item, string Text)> items = type switch
        {
            MemoryItemTypes.Fact => [.. (await PendingFacts(db, model, since).OrderBy(f => f.UpdatedAt).Take(BatchSize).ToListAsync(cancellationToken))
                .Select(f => (new MemoryItemVersion(type, f.Id, f.UpdatedAt, f.Scope, f.Subject), MemoryItemText.Of(f)))],
            MemoryItemTypes.Decision => [.. (await PendingDecisions(db, model, since).OrderBy(d => d.UpdatedAt).Take(BatchSize).ToListAsync(cancellationToken))
                .Select(d => (new MemoryItemVersion(type, d.Id, d.UpdatedAt, d.Scope, null), MemoryItemText.Of(d)))],
            MemoryItemTypes.Record => [.. (await PendingRecords(db, model, since).OrderBy(r => r.UpdatedAt).Take(BatchSize).ToListAsync(cancellationToken))
                .Select(r => (new MemoryItemVersion(type, r.Id, r.UpdatedAt, r.Scope, r.Title), MemoryItemText.Of(r)))],
            _ => [.. (await PendingSummaries(db, model, since).OrderBy(s => s.CreatedAt).Take(BatchSize).ToListAsync(cancellationToken))
                .Select(s => (new MemoryItemVersion(type, s.Id, s.CreatedAt, s.Scope, null), MemoryItemText.Of(s)))],
        };
        if (items.Count == 0)
        {
            // Nothing pending: later passes need look only at what changes from now on (less a margin for a write whose
            // transaction was still open). Without this, a store whose items are all embedded would be walked in full
            // every few seconds; the full rescan catches anything the margin misses.
            var caughtUp = clock.GetUtcNow().UtcDateTime - WriteMargin;
            _watermarks[type] = since > caughtUp ? since : caughtUp;
            return 0;
        }

        var ids = items.Select(i => i.Item.Id).ToList();
        var existing = await db.Set<MemoryVector>().Where(v => v.ItemType == type && ids.Contains(v.ItemId))
            .ToDictionaryAsync(v => v.ItemId, cancellationToken);
        var hashes = items.Select(i => MemoryItemText.Hash(i.Text)).ToList();
        var toEmbed = Enumerable.Range(0, items.Count)
            .Where(i => !(existing.TryGetValue(items[i].Item.Id, out var v) && v.Model == model && v.ContentHash == hashes[i]))
            .ToList();
        _dimensions ??= await db.Set<MemoryVector>().Where(v => v.Model == model).Select(v => (int?)v.Dimensions).FirstOrDefaultAsync(cancellationToken);
        var vectors = await EmbedIsolatingRefusalsAsync([.. toEmbed.Select(i => items[i].Text)], cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var vectorOf = new Dictionary<int, float[]?>();
        for (var k = 0; k < toEmbed.Count; k++)
        {
            vectorOf[toEmbed[k]] = vectors[k];
        }

        var written = new List<(MemoryItemVersion Item, float[]? Vector)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i].Item;
            if (!vectorOf.TryGetValue(i, out var vector))
            {
                existing[item.Id].Confirm(item);
                written.Add((item, null));
            }
            else if (vector is null)
            {
                _refused.Add(item.Id);
            }
            else
            {
                _dimensions ??= vector.Length;
                written.Add((item, vector));
                if (existing.TryGetValue(item.Id, out var old))
                {
                    old.Replace(item, model, hashes[i], vector, now);
                }
                else
                {
                    db.Add(MemoryVector.Create(item, model, hashes[i], vector, now));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (item, vector) in written)
        {
            if (vector is null)
            {
                index.Confirm(item);
            }
            else
            {
                index.Upsert(item, vector);
            }
        }

        _watermarks[type] = items[^1].Item.At;
        return items.Count;
    }

    /// <summary>Deletes the vectors whose item is gone, from the store and then from the in-memory index.</summary>
    private async Task DeleteOrphansAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vectors = db.Set<MemoryVector>();
        var orphans = await vectors.Where(v =>
                (v.ItemType == MemoryItemTypes.Fact && !db.Facts.Any(f => f.Id == v.ItemId))
                || (v.ItemType == MemoryItemTypes.Decision && !db.Decisions.Any(d => d.Id == v.ItemId))
                || (v.ItemType == MemoryItemTypes.Record && !db.Records.Any(r => r.Id == v.ItemId))
                || (v.ItemType == MemoryItemTypes.Summary && !db.Summaries.Any(s => s.Id == v.ItemId)))
            .Select(v => new { v.ItemType, v.ItemId })
            .ToListAsync(cancellationToken);
        foreach (var batch in orphans.Chunk(500))
        {
            foreach (var type in batch.Select(o => o.ItemType).Distinct())
            {
                var ids = batch.Where(o => o.ItemType == type).Select(o => o.ItemId).ToList();
                await vectors.Where(v => v.ItemType == type && ids.Contains(v.ItemId)).ExecuteDeleteAsync(cancellationToken);
                foreach (var id in ids)
                {
                    index.Remove(type, id);
                }
            }
        }
    }

    private IQueryable<Fact> PendingFacts(BlazorOsDbContext db, string model, DateTime since) => db.Facts.AsNoTracking()
        .Where(f => f.UpdatedAt >= since && !Refused.Contains(f.Id) && !db.Set<MemoryVector>().Any(v =>
            v.ItemType == MemoryItemTypes.Fact && v.ItemId == f.Id && v.Model == model && v.SourceUpdatedAt == f.UpdatedAt));

    private IQueryable<Decision> PendingDecisions(BlazorOsDbContext db, string model, DateTime since) => db.Decisions.AsNoTracking()
        .Where(d => d.UpdatedAt >= since && !Refused.Contains(d.Id) && !db.Set<MemoryVector>().Any(v =>
            v.ItemType == MemoryItemTypes.Decision && v.ItemId == d.Id && v.Model == model && v.SourceUpdatedAt == d.UpdatedAt));

    private IQueryable<MemoryRecord> PendingRecords(BlazorOsDbContext db, string model, DateTime since) => db.Records.AsNoTracking()
        .Where(r => r.UpdatedAt >= since && !Refused.Contains(r.Id) && !db.Set<MemoryVector>().Any(v =>
            v.ItemType == MemoryItemTypes.Record && v.ItemId == r.Id && v.Model == model && v.SourceUpdatedAt == r.UpdatedAt));

    private IQueryable<Summary> PendingSummaries(BlazorOsDbContext db, string model, DateTime since) => db.Summaries.AsNoTracking()
        .Where(s => s.CreatedAt >= since && !Refused.Contains(s.Id) && !db.Set<MemoryVector>().Any(v =>
            v.ItemType == MemoryItemTypes.Summary && v.ItemId == s.Id && v.Model == model && v.SourceUpdatedAt == s.CreatedAt));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embeddings endpoint refused a memory item's text; it stays without a vector (full-text recall still finds it): {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded {Count} memory item(s) with {Model}; {Pending} pending")]
    private partial void LogEmbedded(int count, string model, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding memory items failed, {Pending} item(s) stay pending and are retried: {Reason}")]
    private partial void LogFailed(int pending, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Memory vector indexing failed")]
    private partial void LogPassFailed(Exception exception);

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }
}
