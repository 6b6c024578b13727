using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using BlazorOs.Core.Execution;
using BlazorOs.Core.Traces;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>A note a run keeps for its own later steps: the latest value per subject and predicate wins.</summary>
public sealed record WorkingNote(string Subject, string Predicate, string Value, string NodeId, DateTime At)
{
    public string Title => $"{Subject} {Predicate}";
}

/// <summary>
/// The working tier of memory: notes one run keeps for its own later steps (<c>memory.write</c> with <c>tier: working</c>),
/// seen only by that run's <c>memory.read</c> and agent <c>memory.search</c>, and discarded when the run ends. Nothing
/// goes to the durable store, so scratch work leaves no facts to review or retain.
/// <para>
/// Kept in process for speed. The durable copy is the run's trace: each note is a <see cref="TraceKind"/> event, written
/// before the note is cached, so a process that restarts mid-run rebuilds the notes from it on first use.
/// </para>
/// </summary>
public sealed class WorkingMemory : IDisposable
{
    public const string TraceKind = "memory.working";

    private static readonly HashSet<string> EndKinds = new(StringComparer.Ordinal) { "run.completed", "run.failed", "run.cancelled" };
    private readonly IDbContextFactory<BlazorOsDbContext> _dbFactory;
    private readonly ConcurrentDictionary<Guid, RunNotes> _runs = new();
    private readonly IDisposable? _subscription;

    /// <param name="bus">Where run ends are heard; hosts without the engine have none (and no runs to end).</param>
    public WorkingMemory(IDbContextFactory<BlazorOsDbContext> dbFactory, ITraceBus? bus = null)
    {
        _dbFactory = dbFactory;
        _subscription = bus?.Subscribe(null, message =>
        {
            if (EndKinds.Contains(message.Kind))
            {
                _runs.TryRemove(message.RunId, out _);
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>How many runs have notes in process (for tests and diagnostics).</summary>
    internal int CachedRuns => _runs.Count;

    /// <summary>The trace event's data for a note; <see cref="NoteOf"/> reads it back.</summary>
    public static JsonObject EventData(WorkingNote note) => new()
    {
        ["subject"] = note.Subject,
        ["predicate"] = note.Predicate,
        ["value"] = note.Value,
        ["tier"] = "working",
    };

    /// <summary>Caches a note whose trace event the caller has written.</summary>
    public async Task AddAsync(Guid runId, WorkingNote note, CancellationToken cancellationToken)
    {
        var notes = await NotesAsync(runId, cancellationToken);
        notes?.Put(note);
    }

    /// <summary>The run's notes that hold every word of <paramref name="query"/> (all of them without words), newest first.</summary>
    public async Task<IReadOnlyList<WorkingNote>> SearchAsync(Guid runId, string? query, int limit, CancellationToken cancellationToken)
    {
        var notes = await NotesAsync(runId, cancellationToken);
        if (notes is null)
        {
            return [];
        }

        var terms = MemorySearch.Terms(query);
        return [.. notes.Snapshot().Where(n => terms.All(t => Holds(n, t))).OrderByDescending(n => n.At).Take(limit)];
    }

    /// <summary>A term matches a word of the note as a prefix, as full-text recall does (short terms: whole words).</summary>
    private static bool Holds(WorkingNote note, string term) =>
        MemorySearch.Terms($"{note.Subject} {note.Predicate} {note.Value}")
            .Any(word => term.Length >= MemorySearch.PrefixFrom ? word.StartsWith(term, StringComparison.Ordinal) : word == term);

    /// <summary>The run's notes, rebuilt from its trace when this process has none; null once the run has ended.</summary>
    private async Task<RunNotes?> NotesAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (_runs.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => (RunStatus?)r.Status).SingleOrDefaultAsync(cancellationToken)
            is null or RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled)
        {
            return null;
        }

        var events = await db.TraceEvents.AsNoTracking().Where(e => e.RunId == runId && e.Kind == TraceKind).OrderBy(e => e.Sequence)
            .Select(e => new { e.DataJson, e.NodeId, e.At }).ToListAsync(cancellationToken);
        var notes = new RunNotes();
        foreach (var e in events)
        {
            if (e.DataJson is not null && JsonNode.Parse(e.DataJson) is JsonObject data && NoteOf(data, e.NodeId ?? "", e.At) is { } note)
            {
                notes.Put(note);
            }
        }

        return _runs.GetOrAdd(runId, notes);
    }

    internal static WorkingNote? NoteOf(JsonObject data, string nodeId, DateTime at) =>
        data["subject"]?.GetValue<string>() is { } subject && data["predicate"]?.GetValue<string>() is { } predicate
            ? new WorkingNote(subject, predicate, data["value"]?.GetValue<string>() ?? "", nodeId, at)
            : null;

    public void Dispose() => _subscription?.Dispose();

    private sealed class RunNotes
    {
        private readonly Dictionary<(string, string), WorkingNote> _notes = [];
        private readonly Lock _lock = new();

        public void Put(WorkingNote note)
        {
            lock (_lock)
            {
                _notes[(note.Subject.ToLowerInvariant(), note.Predicate.ToLowerInvariant())] = note;
            }
        }

        public List<WorkingNote> Snapshot()
        {
            lock (_lock)
            {
                return [.. _notes.Values];
            }
        }
    }
}
