using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Traces;

/// <summary>
/// Writes trace events with a gap-free per-run sequence, then publishes them. Writes of one run are serialised
/// (parallel branches of a run write concurrently); different runs do not wait for each other.
/// </summary>
public sealed class TraceWriter(IDbContextFactory<BlazorOsDbContext> dbFactory, ITraceBus bus, TimeProvider clock)
{
    public const int MessageMaxLength = 4000;
    public const int DataMaxLength = 32_000;

    private readonly ConcurrentDictionary<Guid, RunSequence> _runs = new();

    public async ValueTask<TraceMessage> WriteAsync(Guid runId, string kind, string message, string? nodeId = null,
        int? attempt = null, JsonNode? data = null, TraceLevel level = TraceLevel.Info, CancellationToken cancellationToken = default)
    {
        var run = _runs.GetOrAdd(runId, _ => new RunSequence());
        await run.Lock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            run.Next ??= (await db.TraceEvents.Where(e => e.RunId == runId).MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0) + 1;
            var traceEvent = new TraceEvent(runId, run.Next.Value, kind, Truncate(message, MessageMaxLength),
                clock.GetUtcNow().UtcDateTime, nodeId, attempt, level, DataText(data));
            db.TraceEvents.Add(traceEvent);
            await db.SaveChangesAsync(cancellationToken);
            run.Next++;
            var published = TraceMessage.From(traceEvent);
            await bus.PublishAsync(published);
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
