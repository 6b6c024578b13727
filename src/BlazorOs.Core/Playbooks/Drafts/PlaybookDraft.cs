using BlazorOs.Core.Activities;

namespace BlazorOs.Core.Playbooks.Drafts;

/// <summary>
/// The playbook being edited in the designer: the server-side model the canvas is a view of. Every change is a
/// <see cref="DraftCommand"/>; each state is kept whole (immutable, sharing unchanged nodes), so undo and redo swap
/// states and report the difference as a <see cref="DraftChange"/> for the canvas.
/// </summary>
public sealed class PlaybookDraft
{
    /// <summary>How many steps undo goes back.</summary>
    public const int HistoryLimit = 200;

    private readonly ActivityCatalog _catalog;
    private readonly LinkedList<(DraftState State, string Description)> _undo = new();
    private readonly Stack<(DraftState State, string Description)> _redo = new();
    private DraftState _saved;

    public PlaybookDraft(ActivityCatalog catalog, DraftState state)
    {
        _catalog = catalog;
        State = state;
        _saved = state;
    }

    public DraftState State { get; private set; }

    /// <summary>True when the draft differs from what was last loaded or saved (undoing back to it clears this).</summary>
    public bool IsDirty => !ReferenceEquals(State, _saved);

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>What undo would take back, e.g. "Connect draft → review".</summary>
    public string? UndoDescription => _undo.Last?.Value.Description;

    public string? RedoDescription => _redo.TryPeek(out var next) ? next.Description : null;

    /// <summary>Opens a playbook document (see <see cref="DraftDocument.Read"/>).</summary>
    public static PlaybookDraft Open(string json, ActivityCatalog catalog) => new(catalog, DraftDocument.Read(json));

    /// <summary>Applies a command; throws <see cref="DraftCommandException"/> (and changes nothing) when it is refused.</summary>
    public DraftChange Execute(DraftCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var before = State;
        var after = command.Apply(before, _catalog);
        if (ReferenceEquals(after, before))
        {
            return DraftChange.None;
        }

        _undo.AddLast((before, command.Description));
        if (_undo.Count > HistoryLimit)
        {
            _undo.RemoveFirst();
        }

        _redo.Clear();
        State = after;
        return DraftChange.Between(before, after);
    }

    public DraftChange Undo()
    {
        if (_undo.Last is not { } last)
        {
            return DraftChange.None;
        }

        _undo.RemoveLast();
        _redo.Push((State, last.Value.Description));
        return MoveTo(last.Value.State);
    }

    public DraftChange Redo()
    {
        if (!_redo.TryPop(out var next))
        {
            return DraftChange.None;
        }

        _undo.AddLast((State, next.Description));
        return MoveTo(next.State);
    }

    /// <summary>The current state was saved (or is the loaded version): it is no longer dirty.</summary>
    public void MarkSaved() => _saved = State;

    /// <summary>The draft as a <c>blazoros/playbook@1</c> document.</summary>
    public string ToJson() => DraftDocument.Write(State);

    private DraftChange MoveTo(DraftState state)
    {
        var before = State;
        State = state;
        return DraftChange.Between(before, state);
    }
}
