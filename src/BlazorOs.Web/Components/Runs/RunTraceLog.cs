using BlazorOs.Core.Traces;

namespace BlazorOs.Web.Components.Runs;

/// <summary>
/// A run's trace as the run page holds it: in sequence order, without gaps or duplicates. Live events may arrive twice
/// (the initial load and the subscription overlap) or ahead of ones not seen yet (published while the page was
/// loading); <see cref="Merge"/> keeps only the next expected numbers and says when the store must fill a gap.
/// </summary>
internal sealed class RunTraceLog
{
    private readonly List<TraceMessage> _messages = [];

    /// <summary>The events in sequence order (1, 2, 3, …). A list, so the virtualised trace view can index it.</summary>
    public List<TraceMessage> Messages => _messages;

    /// <summary>The last sequence number held; 0 before the first event.</summary>
    public long LastSequence => _messages.Count == 0 ? 0 : _messages[^1].Sequence;

    /// <summary>
    /// Appends what follows <see cref="LastSequence"/> without a hole; drops what is already held. Returns true when
    /// some message is further ahead: events in between were missed, and the caller should read them from the store
    /// (after <see cref="LastSequence"/>) and merge that with <paramref name="fromStore"/>: the store is the truth, so
    /// what it returns is taken in order even across a hole it no longer fills (trace retention).
    /// </summary>
    public bool Merge(IEnumerable<TraceMessage> messages, bool fromStore = false)
    {
        var ahead = false;
        foreach (var message in messages.OrderBy(m => m.Sequence))
        {
            if (message.Sequence <= LastSequence)
            {
                continue;
            }

            if (message.Sequence == LastSequence + 1 || fromStore)
            {
                _messages.Add(message);
            }
            else
            {
                ahead = true;
            }
        }

        return ahead;
    }
}
