using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Traces;

/// <summary>One trace event to write; the writer gives it its run, its sequence number and, unless it has one, the time.</summary>
internal sealed record TraceEntry(string Kind, string Message, string? NodeId = null, int? Attempt = null, JsonNode? Data = null,
    TraceLevel Level = TraceLevel.Info, DateTime? At = null);

/// <summary>
/// Writes trace events with a gap-free per-run sequence, then publishes them. Writes of one run are serialised
/// (parallel branches of a run write concurrently); different runs do not wait for each other. Events are published
/// only after their transaction committed, so nobody sees an event the store could lose.
/// </summary>
public sealed class TraceWriter(IDbContextFactory<BlazorOsDbContext> dbFactory, ITraceBus bus, TimeProvider clock)
{
    public const int MessageMaxLength = 4000;
    public const int DataMaxLength = 32_000;

    private readonly ConcurrentDictionary<Guid, RunSequence> _runs = new();

    public async ValueTask<TraceMessage> WriteAsync(Guid runId, string kind, string message, string? nodeId = null,
        int? attempt = null, JsonNode? data = null, TraceLevel level = TraceLevel.Info, CancellationToken cancellationToken = default) =>
        (await WriteAsync(runId, [new TraceEntry(kind, message, nodeId, attempt, data, level)], alongside: null, cancellationToken))[0];

    /// <summary>
    /// Writes <paramref name="entries"/> and the changes <paramref name="alongside"/> makes to the context (it may query
    /// too) in one transaction: one commit, one fsync, instead of one per event and one per change.
    /// </summary>
    internal async ValueTask<IReadOnlyList<TraceMessage>> WriteAsync(Guid runId, IReadOnlyList<TraceEntry> entries,
        Func<BlazorOsDbContext, CancellationToken, ValueTask>? alongside, CancellationToken cancellationToken)
    {
        var run = _runs.GetOrAdd(runId, _ => new RunSequence());
        await run.Lock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (alongside is not null)
            {
                await alongside(db, cancellationToken);
            }

            run.Next ??= (await db.TraceEvents.Where(e => e.RunId == runId).MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0) + 1;
            var now = clock.GetUtcNow().UtcDateTime;
            var events = entries.Select((e, i) => new TraceEvent(runId, run.Next.Value + i, e.Kind, Truncate(e.Message, MessageMaxLength), e.At ?? now,
                e.NodeId, e.Attempt, e.Level, DataText(e.Data))).ToList();
            db.TraceEvents.AddRange(events);
            await db.SaveChangesAsync(cancellationToken);
            run.Next += events.Count;
            var published = events.Select(TraceMessage.From).ToList();
            foreach (var message in published)
            {
                await bus.PublishAsync(message);
            }

            return published;
        }
        finally
        {
            run.Lock.Release();
        }
    }

    /// <summary>Forgets a finished run's sequence cache.</summary>
    public void Forget(Guid runId) => _runs.TryRemove(runId, out _);

    // Data stays valid JSON when it is too long: a preview with the original length.
    private static string? DataText(JsonNode? data)
    {
        var json = data?.ToJsonString();
        return json is null || json.Length <= DataMaxLength
            ? json
            : new JsonObject { ["truncated"] = true, ["length"] = json.Length, ["preview"] = json[..(DataMaxLength / 2)] }.ToJsonString();
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 20), "… [truncated]");

    private sealed class RunSequence
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public long? Next { get; set; }
    }
}
