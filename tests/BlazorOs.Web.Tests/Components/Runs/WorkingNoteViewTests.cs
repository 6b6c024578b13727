using BlazorOs.Core.Memory;
using BlazorOs.Core.Traces;
using BlazorOs.Web.Components.Runs;

namespace BlazorOs.Web.Tests.Components.Runs;

/// <summary>
/// Reading a run's notes from its trace as the engine keeps them: one note per subject and predicate without case, the
/// latest value wins and names the note, the replaced values newest first; other events and unreadable data are skipped.
/// </summary>
public sealed class WorkingNoteViewTests
{
    private static readonly Guid Run = Guid.NewGuid();
    private static readonly DateTime At = new(2026, 12, 3, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_latest_value_per_subject_and_predicate_wins_without_case_and_keeps_the_earlier_ones_newest_first()
    {
        TraceMessage[] trace =
        [
            Note(1, "first", "Acme", "draft-status", "first draft"),
            new(Run, 2, "memory.write", "Remembered", "keep", 1, TraceLevel.Info, """{"subject":"Acme","predicate":"owner","value":"Dana"}""", At),
            Note(3, "owner", "Acme", "owner", "Dana"),
            Note(4, "second", "acme", "Draft-Status", "second draft"),
            new(Run, 5, WorkingMemory.TraceKind, "Noted", "cut", 1, TraceLevel.Info, """{"subject":"Acme","predi""", At),
            Note(6, "third", "ACME", "draft-status", "sent"),
        ];

        var notes = WorkingNoteView.From(trace);

        Assert.Equal([("ACME", "draft-status", "sent", "third", 6L), ("Acme", "owner", "Dana", "owner", 3L)],
            notes.Select(n => (n.Subject, n.Predicate, n.Latest.Value, n.Latest.NodeId, n.Latest.Sequence)));
        Assert.Equal([("second draft", "second"), ("first draft", "first")], notes[0].Earlier.Select(e => (e.Value, e.NodeId)));
        Assert.Empty(notes[1].Earlier);
    }

    private static TraceMessage Note(long sequence, string node, string subject, string predicate, string value) =>
        new(Run, sequence, WorkingMemory.TraceKind, $"Noted for this run: {subject} {predicate} = {value}", node, 1, TraceLevel.Info,
            WorkingMemory.EventData(new WorkingNote(subject, predicate, value, node, At)).ToJsonString(), At.AddSeconds(sequence));
}
