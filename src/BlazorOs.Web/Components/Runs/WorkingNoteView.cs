using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

/// <summary>One value a note held: what it said, which step wrote it and when (the trace event's sequence too).</summary>
public sealed record NoteValue(string Value, string NodeId, DateTime At, long Sequence);

/// <summary>
/// One working-memory note of a run as the run page shows it: its latest value and the values it held before, newest
/// first. Built from the run's <see cref="WorkingMemory.TraceKind"/> events, so it reads the same while the run goes and
/// after it ended (when the engine has dropped the notes but the trace keeps them).
/// </summary>
public sealed record WorkingNoteView(string Subject, string Predicate, NoteValue Latest, IReadOnlyList<NoteValue> Earlier)
{
    /// <summary>
    /// The notes in the order they were first written. Subject and predicate match without case, as in
    /// <see cref="WorkingMemory"/>: the latest event wins and names the note.
    /// </summary>
    public static IReadOnlyList<WorkingNoteView> From(IEnumerable<TraceMessage> trace)
    {
        var notes = new Dictionary<(string, string), List<(string Subject, string Predicate, NoteValue Value)>>();
        foreach (var message in trace)
        {
            if (message.Kind != WorkingMemory.TraceKind || Parse(message.DataJson) is not { } data
                || WorkingMemory.NoteOf(data, message.NodeId ?? "", message.At) is not { } note)
            {
                continue;
            }

            var key = (note.Subject.ToLowerInvariant(), note.Predicate.ToLowerInvariant());
            if (!notes.TryGetValue(key, out var values))
            {
                notes[key] = values = [];
            }

            values.Add((note.Subject, note.Predicate, new NoteValue(note.Value, note.NodeId, note.At, message.Sequence)));
        }

        return [.. notes.Values.Select(values => new WorkingNoteView(values[^1].Subject, values[^1].Predicate, values[^1].Value,
            [.. values.Take(values.Count - 1).Reverse().Select(v => v.Value)]))];
    }

    private static JsonObject? Parse(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            // A truncated preview is not JSON: that note cannot be read back, as the engine could not either.
            return null;
        }
    }
}
